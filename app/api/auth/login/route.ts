import { handleLogin } from "@/lib/auth/login";

export const dynamic = "force-dynamic";
export const POST = (request: Request) => handleLogin(request);
