// Draws the chip chart with Observable Plot (SVG), and turns it into the files
// "Save SVG…" and "Save PNG…" write: a standalone SVG with title, legend and
// caption, and that SVG rasterised on a canvas.

import { areaY, axisX, axisY, dot, gridX, gridY, line, plot, text } from "@observablehq/plot";
import {
  chartExtents,
  describePoint,
  firmKeys,
  logTicks,
  regions,
  RULE_CAPTION,
  X_THRESHOLDS,
  Y_THRESHOLDS,
  type ChartPoint,
  type FirmKey,
} from "./chipChart";
import { formatDate } from "../format";

/** The colours and font the chart is drawn with. */
export type ChartTheme = {
  text: string;
  muted: string;
  grid: string;
  surface: string;
  /** Lines and labels of the regions. */
  aColor: string;
  bColor: string;
  /** The regions' light shading (drawn at low opacity, so one colour suits light and dark). */
  aFill: string;
  bFill: string;
  font: string;
};

/** The app's light look; exported files always use it, whatever the app's theme. */
export const LIGHT_THEME: ChartTheme = {
  text: "#1d2329",
  muted: "#5d6872",
  grid: "#dde1e5",
  surface: "#ffffff",
  aColor: "#b03a1f",
  bColor: "#9a6a12",
  aFill: "#d0442a",
  bFill: "#e3a514",
  font: 'system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK SC", "Noto Sans SC", sans-serif',
};

/** The theme from the app's design tokens as they apply to `element` (light or dark). */
export function themeOf(element: Element): ChartTheme {
  const style = getComputedStyle(element);
  const token = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    text: token("--text", LIGHT_THEME.text),
    muted: token("--text-muted", LIGHT_THEME.muted),
    grid: token("--border", LIGHT_THEME.grid),
    surface: token("--surface", LIGHT_THEME.surface),
    aColor: token("--tone-warning-fg", LIGHT_THEME.aColor),
    bColor: token("--tone-caution-fg", LIGHT_THEME.bColor),
    aFill: LIGHT_THEME.aFill,
    bFill: LIGHT_THEME.bFill,
    font: token("--font-ui", LIGHT_THEME.font),
  };
}

export type PlotOptions = {
  width: number;
  height: number;
  theme: ChartTheme;
  /** Points take focus, carry test hooks and describe themselves (the screen); not in exported files. */
  interactive: boolean;
};

const LABEL_MAX = 28;

/** A chip name short enough to label a point; the tooltip shows it whole. */
function shortName(name: string): string {
  const chars = [...name];
  return chars.length > LABEL_MAX ? `${chars.slice(0, LABEL_MAX - 1).join("")}…` : name;
}

const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });

/** The chart itself: axes, regions, threshold lines and labels, one dot per point. */
export function renderChipPlot(points: readonly ChartPoint[], keys: readonly FirmKey[], options: PlotOptions): SVGSVGElement {
  const { width, height, theme, interactive } = options;
  const extents = chartExtents(points);
  const shaded = regions(extents);
  const colorOf = new Map(keys.map((key) => [key.id, key.color]));
  const fill = (p: ChartPoint) => colorOf.get(p.chip.firm.id) ?? theme.muted;
  const [, xHi] = extents.x;
  const [, yHi] = extents.y;
  const xTicks = logTicks(extents.x, X_THRESHOLDS);
  const yTicks = logTicks(extents.y, Y_THRESHOLDS);

  const chart = plot({
    width,
    height,
    marginTop: 28,
    marginRight: 20,
    marginBottom: 44,
    marginLeft: 56,
    style: {
      fontFamily: theme.font,
      fontSize: "12px",
      color: theme.text,
      background: "transparent",
      overflow: "visible",
    },
    ariaLabel: "Chips by total processing performance and performance density, with the 3A090 thresholds",
    x: { type: "log", domain: [...extents.x] },
    y: { type: "log", domain: [...extents.y] },
    marks: [
      // Axes as marks, each tick labelled by `text`: for a log scale Plot keeps a
      // tickFormat only for ticks d3 finds round enough, which hid 500 and 4,800
      // once the chips spanned more than two decades of TPP.
      gridX(xTicks),
      gridY(yTicks),
      axisX(xTicks, {
        text: (d: number) => integer.format(d),
        label: "TPP (total processing performance) →",
        labelAnchor: "right",
      }),
      axisY(yTicks, {
        text: (d: number) => decimal.format(d),
        label: "↑ Performance density (TPP per mm² of die)",
        labelAnchor: "top",
      }),
      areaY(shaded.a.bands, { x: "x", y1: "y1", y2: "y2", curve: "step-after", fill: theme.aFill, fillOpacity: 0.08 }),
      areaY(shaded.b.bands, { x: "x", y1: "y1", y2: "y2", curve: "step-after", fill: theme.bFill, fillOpacity: 0.14 }),
      line(shaded.a.boundary, { x: (v) => v[0], y: (v) => v[1], stroke: theme.aColor, strokeWidth: 1.5 }),
      line(shaded.b.boundary, {
        x: (v) => v[0],
        y: (v) => v[1],
        stroke: theme.bColor,
        strokeWidth: 1.5,
        strokeDasharray: "5,3",
      }),
      text(["3A090.a"], {
        x: xHi,
        y: yHi,
        text: (d) => d,
        textAnchor: "end",
        lineAnchor: "top",
        dx: -8,
        dy: 8,
        fontSize: 13,
        fontWeight: 700,
        fill: theme.aColor,
        className: "region-label",
      }),
      text(["3A090.b"], {
        x: X_THRESHOLDS[2],
        y: Y_THRESHOLDS[0],
        text: (d) => d,
        textAnchor: "end",
        lineAnchor: "bottom",
        dx: -6,
        dy: -5,
        fontSize: 13,
        fontWeight: 700,
        fill: theme.bColor,
        className: "region-label",
      }),
      // Names beside the points; placeLabels moves each where it fits once the chart is on screen.
      text(points, {
        x: "tpp",
        y: "density",
        text: (p: ChartPoint) => shortName(p.chip.name),
        textAnchor: "start",
        fill: theme.text,
        stroke: theme.surface,
        strokeWidth: 3,
        paintOrder: "stroke",
        fontSize: 11,
        ariaHidden: "true",
        className: "point-label",
      }),
      dot(points, {
        x: "tpp",
        y: "density",
        r: 6,
        fill,
        fillOpacity: 0.92,
        stroke: theme.surface,
        strokeWidth: 1.5,
        className: "points",
        render: (index, scales, values, dimensions, context, next) => {
          const group = next?.(index, scales, values, dimensions, context) ?? null;
          if (group && interactive) {
            const circles = group.querySelectorAll("circle");
            index.forEach((i, k) => {
              const circle = circles[k];
              const point = points[i];
              if (!circle || !point) return;
              circle.setAttribute("data-testid", "chart-point");
              circle.setAttribute("data-chip-id", String(point.chip.id));
              circle.setAttribute("data-firm-id", String(point.chip.firm.id));
              circle.setAttribute("tabindex", "0");
              circle.setAttribute("role", "button");
              circle.setAttribute("aria-label", describePoint(point));
            });
          }
          return group;
        },
      }),
    ],
  });
  return chart as unknown as SVGSVGElement;
}

/** Where a name may go beside its point: text-anchor and offset in pixels, in order of preference. */
const LABEL_PLACES = [
  { anchor: "start", dx: 9, dy: 0 },
  { anchor: "end", dx: -9, dy: 0 },
  { anchor: "middle", dx: 0, dy: -13 },
  { anchor: "middle", dx: 0, dy: 14 },
] as const;

/**
 * Puts each point's name right of, left of, above or below its point, the
 * first place where it overlaps no point, no other name and no region label
 * and stays inside the chart; a name with no such place is hidden (the
 * tooltip still shows it). Returns how many were hidden. `svg` must be in the
 * document, as the text is measured as drawn.
 */
export function placeLabels(svg: SVGSVGElement): number {
  const width = svg.width.baseVal.value;
  const height = svg.height.baseVal.value;
  const taken = [...svg.querySelectorAll<SVGGraphicsElement>(".region-label text")].map((node) => boxOf(node));
  // Labels and points come in the same order: a label may touch its own point's box, no other.
  const dots = [...svg.querySelectorAll<SVGGraphicsElement>(".points circle")].map((node) => boxOf(node, 0));
  let hidden = 0;
  [...svg.querySelectorAll<SVGTextElement>(".point-label text")].forEach((label, index) => {
    const fits = LABEL_PLACES.some((place) => {
      label.setAttribute("text-anchor", place.anchor);
      label.setAttribute("dx", String(place.dx));
      label.setAttribute("dy", String(place.dy));
      const box = boxOf(label);
      const inside = box.left >= 0 && box.right <= width && box.top >= 0 && box.bottom <= height;
      const onDot = dots.some((dot, other) => other !== index && intersects(box, dot));
      if (!inside || onDot || taken.some((other) => intersects(box, other))) return false;
      taken.push(box);
      return true;
    });
    if (!fits) {
      label.setAttribute("display", "none");
      hidden++;
    }
  });
  return hidden;
}

/** An element's box in the SVG's coordinates (with its transform), padded by `pad` pixels. */
function boxOf(element: SVGGraphicsElement, pad = 2): DOMRect {
  const box = element.getBBox();
  const matrix = element.getCTM();
  const owner = element.ownerSVGElement?.getCTM();
  let x = box.x;
  let y = box.y;
  if (matrix && owner) {
    const relative = owner.inverse().multiply(matrix);
    x = relative.e + box.x;
    y = relative.f + box.y;
  }
  return new DOMRect(x - pad, y - pad / 2, box.width + 2 * pad, box.height + pad);
}

function intersects(a: DOMRect, b: DOMRect): boolean {
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}

// ---- Export ------------------------------------------------------------------

const SVG_NS = "http://www.w3.org/2000/svg";
export const EXPORT_WIDTH = 960;
const EXPORT_PLOT_HEIGHT = 540;
const PAD = 24;

let measurer: CanvasRenderingContext2D | null = null;

/** The width of `content` set in `font` (a CSS font shorthand), as the canvas measures it. */
function textWidth(content: string, font: string): number {
  measurer ??= document.createElement("canvas").getContext("2d");
  if (!measurer) return content.length * 7;
  measurer.font = font;
  return measurer.measureText(content).width;
}

/** Breaks `content` into lines no wider than `width` (at spaces; a word longer than a line stands alone). */
function wrap(content: string, font: string, width: number): string[] {
  const lines: string[] = [];
  let current = "";
  for (const word of content.split(/\s+/)) {
    const candidate = current === "" ? word : `${current} ${word}`;
    if (current !== "" && textWidth(candidate, font) > width) {
      lines.push(current);
      current = word;
    } else {
      current = candidate;
    }
  }
  if (current !== "") lines.push(current);
  return lines;
}

function element<K extends keyof SVGElementTagNameMap>(
  name: K,
  attributes: Record<string, string | number>,
  content?: string,
): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG_NS, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  if (content !== undefined) node.textContent = content;
  return node;
}

export type ExportedChart = { svg: string; width: number; height: number };

/**
 * The chart as a standalone SVG file: a title, the chart (light theme), the
 * firms' legend and the rule and left-out chips as a caption.
 */
export function exportSvg(points: readonly ChartPoint[], title: string, notes: readonly string[]): ExportedChart {
  const theme = LIGHT_THEME;
  const keys = firmKeys(points);
  const width = EXPORT_WIDTH;
  const inner = width - 2 * PAD;
  const root = element("svg", { xmlns: SVG_NS, width, "font-family": theme.font, fill: theme.text });

  // The chart is laid out in a hidden holder in the document, so labels can be measured.
  const holder = document.createElement("div");
  holder.style.cssText = "position:fixed;left:-10000px;top:0;visibility:hidden;";
  document.body.append(holder);
  try {
    const chart = renderChipPlot(points, keys, { width: inner, height: EXPORT_PLOT_HEIGHT, theme, interactive: false });
    holder.append(chart);
    placeLabels(chart);

    let y = PAD;
    const titleFont = `600 18px ${theme.font}`;
    for (const lineText of wrap(title, titleFont, inner)) {
      y += 22;
      root.append(element("text", { x: PAD, y, "font-size": 18, "font-weight": 600 }, lineText));
    }
    y += 20;
    root.append(
      element(
        "text",
        { x: PAD, y, "font-size": 12, fill: theme.muted },
        `TPP against performance density, log scales · October 2023 rule · ${points.length === 1 ? "1 chip" : `${points.length} chips`} · Chipwatch, ${formatDate(localDay(new Date()))}`,
      ),
    );
    y += 20;
    chart.setAttribute("x", String(PAD));
    chart.setAttribute("y", String(y));
    root.append(chart);
    y += EXPORT_PLOT_HEIGHT + 16;

    // The legend: a dot and a name per firm, in rows that wrap.
    const legendFont = `12px ${theme.font}`;
    let x = PAD;
    y += 4;
    for (const key of keys) {
      const itemWidth = 14 + textWidth(key.label, legendFont) + 18;
      if (x > PAD && x + itemWidth > PAD + inner) {
        x = PAD;
        y += 20;
      }
      root.append(element("circle", { cx: x + 5, cy: y, r: 5, fill: key.color }));
      root.append(element("text", { x: x + 14, y: y + 4, "font-size": 12 }, key.label));
      x += itemWidth;
    }
    y += 16;

    const captionFont = `11px ${theme.font}`;
    for (const paragraph of [...RULE_CAPTION, ...notes]) {
      for (const lineText of wrap(paragraph, captionFont, inner)) {
        y += 15;
        root.append(element("text", { x: PAD, y, "font-size": 11, fill: theme.muted }, lineText));
      }
    }
    const height = Math.ceil(y + PAD);
    root.setAttribute("height", String(height));
    root.setAttribute("viewBox", `0 0 ${width} ${height}`);
    root.prepend(element("rect", { width, height, fill: theme.surface }));
    const svg = `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(root)}\n`;
    return { svg, width, height };
  } finally {
    holder.remove();
  }
}

/** The exported SVG drawn on a canvas at `scale` times its size, as PNG bytes. */
export async function rasterise(chart: ExportedChart, scale = 2): Promise<Uint8Array> {
  const image = new Image();
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(chart.svg)}`;
  await image.decode();
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(chart.width * scale);
  canvas.height = Math.round(chart.height * scale);
  const context = canvas.getContext("2d");
  if (!context) throw new Error("This window cannot draw the chart as an image (no 2D canvas).");
  context.fillStyle = LIGHT_THEME.surface;
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.drawImage(image, 0, 0, canvas.width, canvas.height);
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, "image/png"));
  if (!blob) throw new Error("The chart could not be turned into a PNG image.");
  return new Uint8Array(await blob.arrayBuffer());
}

/** The local day of `moment` in the stored form ("2025-05-01"), to be shown as every date is. */
function localDay(moment: Date): string {
  return [moment.getFullYear(), moment.getMonth() + 1, moment.getDate()]
    .map((n, i) => String(n).padStart(i === 0 ? 4 : 2, "0"))
    .join("-");
}
