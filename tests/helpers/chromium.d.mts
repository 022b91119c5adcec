export declare const CHROMIUM_EXECUTABLE: string;
export declare const CHROMIUM_LAUNCH_ARGS: string[];
