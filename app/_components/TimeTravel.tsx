"use client";

import { useState, type FormEvent } from "react";
import { useUrlState } from "./url-state";

/** `?at=` as a UTC datetime-local value (YYYY-MM-DDTHH:MM:SS). */
function toInput(at: string | null): string {
  if (!at) return "";
  const ms = Date.parse(at);
  return Number.isNaN(ms) ? "" : new Date(ms).toISOString().slice(0, 19);
}

/** Keyed by `at` so the input resets when the URL changes (back button, "Live"). */
export function TimeTravel() {
  const { at } = useUrlState();
  return <TimeTravelForm key={at ?? ""} />;
}

function TimeTravelForm() {
  const { at, set } = useUrlState();
  const [value, setValue] = useState(toInput(at));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const ms = Date.parse(`${value}Z`);
    set({ at: value && !Number.isNaN(ms) ? new Date(ms).toISOString() : null });
  };

  return (
    <form className="time-travel" onSubmit={submit} role="search" aria-label="Time travel">
      <label htmlFor="time-travel-at">As of (UTC)</label>
      <input id="time-travel-at" type="datetime-local" step={1} value={value} onChange={(e) => setValue(e.target.value)} />
      <button type="submit">Go</button>
      {at ? (
        <button type="button" onClick={() => set({ at: null })}>
          Live
        </button>
      ) : null}
    </form>
  );
}
