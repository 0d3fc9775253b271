/** "1 key", "2 keys": a count with its noun for messages people read (status details, CLI lines). */
export function plural(count: number, noun: string, pluralNoun = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : pluralNoun}`;
}
