"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { ApiError, postAction } from "@/lib/ui/api-client";
import { apiPaths } from "@/lib/ui/urls";

/**
 * The guarded abort of a hanging transaction: the operator types the topic-partition, the server re-checks that
 * the transaction still hangs right before writing the abort marker, and audits the attempt either way.
 */
export function AbortTransaction({ cluster, findingId, topic, partition }: { cluster: string; findingId: string; topic: string; partition: number }) {
  const expected = `${topic}-${partition}`;
  const [typed, setTyped] = useState("");
  const inputId = useId();
  const queryClient = useQueryClient();
  const abort = useMutation({
    mutationFn: () => postAction<{ outcome: string }>(apiPaths.abortFinding(cluster, findingId), { confirm: typed }),
    // Success or refusal, the audit log has a new row; the finding resolves at the next poll.
    onSettled: () => queryClient.invalidateQueries({ queryKey: ["clusters", cluster] }),
  });
  const confirmed = typed.trim() === expected;
  return (
    <form
      className="abort-form"
      data-testid="abort-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (confirmed && !abort.isPending) abort.mutate();
      }}
    >
      <h3>Abort it from here</h3>
      <p className="prose">
        Writes the abort marker for this transaction, as the abort command above does, after checking again that it still hangs.
        Type <span className="mono">{expected}</span> to confirm.
      </p>
      <div className="abort-row">
        <label className="field" htmlFor={inputId}>
          <span>Topic-partition</span>
          <input id={inputId} value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" spellCheck={false} className="mono" />
        </label>
        <button type="submit" className="btn-danger" disabled={!confirmed || abort.isPending}>
          {abort.isPending ? "Aborting…" : "Abort transaction"}
        </button>
      </div>
      {abort.isSuccess ? (
        <p role="status" className="abort-result ok">
          Aborted: the abort marker was written. The finding resolves at the next poll.
        </p>
      ) : abort.isError ? (
        <p role="alert" className="abort-result error">
          {abort.error instanceof ApiError ? abort.error.message : "The request failed."}
        </p>
      ) : null}
    </form>
  );
}
