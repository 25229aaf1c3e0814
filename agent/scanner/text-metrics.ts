// Language-independent metrics of a text file: line count and TODO/FIXME markers in comments.
import type { TodoMarker } from './scan-types.js';

// A marker counts only after a comment opener (//, /*, *, #, <!--), so prose and string
// literals that merely mention the word do not.
const TODO_PATTERN = /(?:\/\/|\/\*|\*|#|<!--)\s*((?:TODO|FIXME)\b.*)$/;
const MAX_TODO_TEXT = 100;

export function countLines(text: string): number {
  if (text === '') return 0;
  let count = 0;
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) count++;
  return text.endsWith('\n') ? count : count + 1;
}

export function findTodos(text: string): TodoMarker[] {
  const todos: TodoMarker[] = [];
  // Cheap pre-check: most files have no marker at all.
  if (!text.includes('TODO') && !text.includes('FIXME')) return todos;
  const lines = text.split('\n');
  lines.forEach((line, index) => {
    const match = TODO_PATTERN.exec(line);
    if (match?.[1] === undefined) return;
    const marker = match[1].replace(/\s*(\*\/|-->)\s*$/, '').trim();
    todos.push({ line: index + 1, text: marker.length > MAX_TODO_TEXT ? `${marker.slice(0, MAX_TODO_TEXT - 1)}…` : marker });
  });
  return todos;
}
