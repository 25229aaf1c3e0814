// Splits test files into at most `count` non-empty shards, dealt round-robin so every shard
// gets a similar share of each directory.

export function splitIntoShards(files: readonly string[], count: number): string[][] {
  const shardCount = Math.max(1, Math.min(count, files.length));
  const shards: string[][] = Array.from({ length: shardCount }, () => []);
  files.forEach((file, index) => shards[index % shardCount]!.push(file));
  return shards.filter((shard) => shard.length > 0);
}
