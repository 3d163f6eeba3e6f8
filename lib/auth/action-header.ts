/**
 * The header every state-changing API request from the dashboard carries (lib/auth/csrf.ts): a custom header
 * makes a cross-site fetch a preflighted request, which this server never allows.
 */
export const ACTION_HEADER = "x-auditor-action";
