"use client";

import { useUrlState } from "./url-state";

/** A list filter kept in the URL (`?param=choice`); "Any" removes the parameter. */
export function ChoiceFilter({ label, param, value, choices }: { label: string; param: string; value: string; choices: readonly string[] }) {
  const { set } = useUrlState();
  return (
    <label className="field">
      {label}
      <select value={value} onChange={(e) => set({ [param]: e.target.value || null })}>
        <option value="">Any</option>
        {choices.map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
      </select>
    </label>
  );
}
