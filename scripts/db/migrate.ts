// npm run db:migrate — applies pending migrations to DATABASE_URL (the app also does this at start-up).
import { env } from "@/lib/config/env";
import { migrateDeploy } from "@/lib/store/migrate";

try {
  const applied = await migrateDeploy(env().DATABASE_URL);
  console.log(applied.length ? `${applied.length} migration(s) applied` : "No pending migrations");
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
