import Link from "next/link";

export default function NotFound() {
  return (
    <div className="state">
      <strong>Page not found</strong>
      <p>The link may be mistyped, or the entity no longer exists.</p>
      <Link href="/">Back to all clusters</Link>
    </div>
  );
}
