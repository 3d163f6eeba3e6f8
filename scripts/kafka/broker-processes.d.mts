export const OWNER_PID_FILE: string;
export const BROKER_PID_FILE: string;
export function isProcessRunning(pid: number): boolean;
export function isKafkaBroker(pid: number): boolean;
export function readOwnerPid(runDir: string): number | undefined;
export function recordedBrokerPids(runDir: string): number[];
export function killBrokersAndRemove(runDir: string): Promise<number[]>;
