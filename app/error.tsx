"use client";

export default function ErrorPage({ reset }: { error: Error; reset: () => void }) {
  return (
    <div className="state state-error" role="alert">
      <strong>This page failed to render</strong>
      <p>The error was logged on the server. Try again, or go back to the overview.</p>
      <button type="button" onClick={reset}>
        Try again
      </button>
    </div>
  );
}
