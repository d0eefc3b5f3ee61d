/**
 * A new directory in the system's temporary directory (`<prefix>XXXXXX`), removed with everything
 * in it when the calling test finishes, passed or failed — or, made while a `describe` block is
 * collected, after that block's tests.
 */
export declare function tempDir(prefix: string): string;
