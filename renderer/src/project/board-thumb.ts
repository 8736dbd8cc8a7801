// Board pictures as images. A picture inlined into the page shares the
// document's styles and ids with every other inlined picture; as an <img>
// each thumbnail keeps its own (and cannot run anything).

export function svgDataUrl(svg: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}
