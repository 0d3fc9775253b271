/**
 * jsdom lays nothing out, so SVG has no getBBox; Backstage's DependencyGraph measures its nodes with it. The stand-in
 * answers an element's size from its first <rect> (the node's box), as a browser would for our nodes.
 */
export function installSvgBBox(): void {
  const proto = window.SVGElement.prototype as unknown as { getBBox?: () => DOMRect };
  if (proto.getBBox) return;
  proto.getBBox = function getBBox(this: SVGElement) {
    const rect = this.tagName === 'rect' ? this : this.querySelector('rect');
    const width = Number(rect?.getAttribute('width') ?? 0);
    const height = Number(rect?.getAttribute('height') ?? 0);
    return { x: 0, y: 0, width, height } as DOMRect;
  };
}
