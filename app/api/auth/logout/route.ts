import { handleLogout } from "@/lib/auth/login";

export const dynamic = "force-dynamic";
export const POST = handleLogout;
