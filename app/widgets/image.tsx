import type { WidgetContext, WidgetModule } from './types.ts';
import { sanitizeHtml } from '../libraries.ts';
import { fileUrl } from './urls.ts';

export type ImageOutput = { widget: 'image'; file: string; alt: string };

/** A PNG, JPEG or SVG file of the session; `alt` says what it shows for those who cannot see it. */
export const image = (file: string, alt: string): ImageOutput => ({ widget: 'image', file, alt });

const MAX_SVG = 5 * 1024 * 1024;
const SIGNATURES: Record<string, number[]> = { png: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], jpeg: [0xff, 0xd8, 0xff] };

const SVG_TAGS = ['svg', 'g', 'path', 'rect', 'circle', 'ellipse', 'line', 'polyline', 'polygon', 'text', 'tspan', 'title', 'desc', 'defs', 'lineargradient', 'radialgradient', 'stop', 'clippath', 'mask', 'pattern', 'symbol', 'marker'];
const SVG_ATTRIBUTES = ['id', 'class', 'width', 'height', 'viewbox', 'preserveaspectratio', 'xmlns', 'x', 'y', 'x1', 'y1', 'x2', 'y2', 'cx', 'cy', 'r', 'rx', 'ry', 'd', 'points', 'fill', 'fill-opacity', 'fill-rule', 'stroke', 'stroke-width', 'stroke-opacity', 'stroke-linecap', 'stroke-linejoin', 'stroke-dasharray', 'opacity', 'transform', 'font-size', 'font-family', 'font-weight', 'text-anchor', 'dominant-baseline', 'offset', 'stop-color', 'stop-opacity', 'gradientunits', 'gradienttransform', 'clip-path', 'clip-rule', 'mask', 'patternunits', 'dx', 'dy', 'role', 'aria-label'];

/**
 * An SVG reduced to drawing: only shape, text and paint elements and attributes survive, so no script, event
 * handler, link, foreignObject, external reference or style sheet can. Pure.
 */
export function sanitizeSvg(text: string): string {
  const clean = sanitizeHtml()(text, {
    allowedTags: SVG_TAGS,
    allowedAttributes: { '*': SVG_ATTRIBUTES },
    parser: { xmlMode: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  }).replace(/url\((?!\s*['"]?#)[^)]*\)/gi, 'none');
  return restoreCase(clean);
}

// The parser lowercases names; SVG needs a few in camelCase to draw.
const CAMEL = ['viewBox', 'preserveAspectRatio', 'linearGradient', 'radialGradient', 'gradientUnits', 'gradientTransform', 'clipPath', 'patternUnits'];
function restoreCase(svg: string): string {
  return CAMEL.reduce((s, name) => s.replace(new RegExp(`(?<=[<\\s/])${name.toLowerCase()}(?=[\\s=>/])`, 'g'), name), svg);
}

function kindOf(file: string): 'png' | 'jpeg' | 'svg' | undefined {
  const ext = /\.([a-z]+)$/i.exec(file)?.[1].toLowerCase();
  return ext === 'png' ? 'png' : ext === 'jpg' || ext === 'jpeg' ? 'jpeg' : ext === 'svg' ? 'svg' : undefined;
}

function render({ file, alt }: ImageOutput, ctx: WidgetContext) {
  const kind = kindOf(file);
  if (!kind) throw new Error(`${file} is not a PNG, JPEG or SVG file`);
  if (!ctx.files.has(file)) throw new Error(`the image ${file} is not there`);
  let src: string;
  if (kind === 'svg') {
    const svg = sanitizeSvg(ctx.files.readText(file, MAX_SVG));
    if (!/^\s*(<\?xml[^>]*>\s*)?<svg[\s>]/.test(svg)) throw new Error(`${file} is not an SVG drawing`);
    src = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
  } else {
    const head = ctx.files.readBytes(file, 8, true);
    if (!SIGNATURES[kind].every((b, i) => head[i] === b)) throw new Error(`${file} is not really a ${kind.toUpperCase()} image`);
    src = fileUrl(ctx.session, file);
  }
  return (
    <figure class="image-widget">
      <img src={src} alt={alt} loading="lazy" />
      <figcaption>
        <small>{alt}</small>
      </figcaption>
    </figure>
  );
}

export const imageWidget: WidgetModule<ImageOutput> = { assets: [], render };
