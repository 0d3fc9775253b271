/** The unit of retrieval and citation. */
export interface Chunk {
  /** `<docPath>#<ordinal>`: stable while the page is unchanged. */
  id: string;
  /** Path of the source page relative to the ingested folder, prefixed by the source name for runbooks. */
  path: string;
  title: string;
  /** Heading path inside the page, e.g. `Affinity and anti-affinity > Node affinity`; '' for the page top. */
  section: string;
  /** Link to the rendered page (with the section anchor) when the source has a base URL. */
  url?: string;
  text: string;
  /** Which ingested source this came from (`runbooks`, a folder path); removal is per source. */
  source: string;
}

/** What is indexed for a chunk: page title and heading path give a passage the context its body lacks. */
export function indexedText(chunk: Pick<Chunk, 'title' | 'section' | 'text'>): string {
  return `${chunk.title}\n${chunk.section}\n${chunk.text}`;
}
