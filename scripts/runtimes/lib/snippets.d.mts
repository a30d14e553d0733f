export function readSnippets(readmePath: string): Promise<Record<string, Record<string, string>>>;
export function numbersIn(text: string): number[];
