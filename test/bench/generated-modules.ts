// The generated repository the scan benchmark works on: 2,000 TypeScript modules, each importing
// the one before, in 40 directories, and 20 test files.

export const FILE_COUNT = 2_000;
export const TEST_FILE_COUNT = 20;
export const DIRECTORIES = 40;
/** The module the one-changed runs rewrite. */
export const CHANGED_MODULE_INDEX = 7;

export function modulePath(index: number): string {
  return `src/d${index % DIRECTORIES}/m${index}.ts`;
}

export function moduleSource(index: number, revision = 0): string {
  const dependency = index > 0 ? `import { helper${index - 1} } from '../d${(index - 1) % DIRECTORIES}/m${index - 1}.js';\n` : '';
  const call = index > 0 ? `helper${index - 1}(value)` : 'value';
  return `// Generated module ${index} (revision ${revision}).
${dependency}
/** Options of module ${index}. */
export interface Options${index} {
  limit: number;
  label?: string;
}

/** Doubles small values and clamps large ones. */
export function helper${index}(value: number, options: Options${index} = { limit: 100 }): number {
  if (value < 0) return 0;
  for (let step = 0; step < 3; step++) {
    if (value > options.limit && step > 1) return options.limit;
  }
  return value > 10 ? ${call} : value * 2;
}

export class Service${index} {
  private count = 0;
  constructor(private readonly name: string) {}
  /** Handles one request. */
  handle(input: string | null): string {
    this.count++;
    switch (input) {
      case null:
        return this.name;
      case '':
        return 'empty';
      default:
        return input.length > 3 && this.count % 2 === 0 ? input.toUpperCase() : input;
    }
  }
}

export const format${index} = (value: number): string => (value ?? 0).toFixed(2);
`;
}

export function testSource(index: number): string {
  const target = index * 50;
  return `import { helper${target} } from '../src/d${target % DIRECTORIES}/m${target}.js';\nhelper${target}(1);\n`;
}
