// A node:test reporter (written next to the report it produces, so it runs wherever the
// command runs) that writes one JSON line per test: file, full name, status. Suites and the
// per-file wrapper node reports for every file are left out.

export const NODE_INVENTORY_REPORTER = `
export default async function* inventoryReporter(source) {
  const stacks = new Map();
  for await (const event of source) {
    const data = event.data ?? {};
    if (event.type === 'test:start') {
      const stack = stacks.get(data.file) ?? [];
      stack.length = data.nesting;
      stack.push(data.name);
      stacks.set(data.file, stack);
      continue;
    }
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    if (data.details?.type === 'suite' || data.name === data.file || data.file === undefined) continue;
    const parents = (stacks.get(data.file) ?? []).slice(0, data.nesting);
    const status = (data.skip !== undefined && data.skip !== false) || (data.todo !== undefined && data.todo !== false)
      ? 'skipped'
      : event.type === 'test:pass' ? 'passed' : 'failed';
    yield JSON.stringify({ file: data.file, name: [...parents, data.name].join(' > '), status }) + '\\n';
  }
}
`;
