/**
 * The pictures the server paints of every pet stage (`imageUrl` in the room state): SVG from
 * the procedural renderer or PNG / JPEG / WebP from a model. Each URL is immutable on the
 * server, so it is downloaded and decoded once per page, then baked at a fixed size into
 * Phaser textures: a rounded card for the home and a round badge for the minigame corner.
 * The procedural art of `pet-art.ts` stays the fallback when a picture fails.
 */
import type Phaser from 'phaser';

/** Side of the home card texture in pixels: crisp at ~320 CSS px on a 2x screen. */
const PICTURE_TEXTURE_SIZE = 640;
/** Side of the minigame badge texture in pixels. */
const BADGE_TEXTURE_SIZE = 256;
/** Corner radius of the card, as a fraction of its side (the frame uses the same). */
export const PICTURE_RADIUS = 0.075;
/**
 * Where the painted pet stands and how big it is, as fractions of the picture's side: the
 * procedural renderer puts the floor at 0.885, and the model prompts ask for a centred,
 * full-body pet. Effects (need bubble, flies, dirt, Z's, particles) are placed from these.
 */
export const PICTURE_FEET_Y = 0.885;
export const PICTURE_FIGURE = 0.78;

/** A failed download is tried once more after this long before the picture counts as broken. */
const RETRY_MS = 1500;

type PictureShape = 'card' | 'badge';

const pending = new Map<string, Promise<HTMLImageElement>>();
const decoded = new Map<string, HTMLImageElement>();

/** The decoded picture of `url` if it has been loaded already. */
export function loadedPicture(url: string): HTMLImageElement | null {
  return decoded.get(url) ?? null;
}

/**
 * Downloads and decodes `url` (once per URL; concurrent callers share the request). Rejects
 * when the picture cannot be fetched or decoded, after one retry; a later call tries again.
 */
export function loadPicture(url: string): Promise<HTMLImageElement> {
  const done = decoded.get(url);
  if (done) return Promise.resolve(done);
  let request = pending.get(url);
  if (!request) {
    request = decodeImage(url)
      .catch(() => delay(RETRY_MS).then(() => decodeImage(url)))
      .then((image) => {
        decoded.set(url, image);
        return image;
      })
      .finally(() => pending.delete(url));
    pending.set(url, request);
  }
  return request;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function decodeImage(url: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const image = new Image();
    image.decoding = 'async';
    image.onload = () => {
      // decode() makes the first draw onto a canvas cheap; a failure there is not fatal.
      image
        .decode()
        .catch(() => undefined)
        .then(() => resolve(image), reject);
    };
    image.onerror = () => reject(new Error(`picture failed to load: ${url}`));
    image.src = url;
  });
}

/**
 * The texture key of `url` baked as `shape`, creating it on first use. Textures belong to the
 * game, not a scene, so every scene shares them; a URL is immutable, so they never go stale.
 */
export function pictureTexture(scene: Phaser.Scene, url: string, image: HTMLImageElement, shape: PictureShape): string {
  const key = `pet-picture:${shape}:${url}`;
  if (scene.textures.exists(key)) return key;
  const size = shape === 'card' ? PICTURE_TEXTURE_SIZE : BADGE_TEXTURE_SIZE;
  const canvas = document.createElement('canvas');
  canvas.width = size;
  canvas.height = size;
  const ctx = canvas.getContext('2d');
  if (ctx) {
    ctx.imageSmoothingQuality = 'high';
    ctx.save();
    ctx.beginPath();
    if (shape === 'card') roundedRect(ctx, 0, 0, size, size, size * PICTURE_RADIUS);
    else ctx.arc(size / 2, size / 2, size / 2, 0, Math.PI * 2);
    ctx.clip();
    drawCover(ctx, image, size, shape === 'badge' ? 1.12 : 1);
    ctx.restore();
    if (shape === 'badge') {
      // A white rim keeps the badge readable on any field.
      ctx.lineWidth = size * 0.045;
      ctx.strokeStyle = 'rgba(255,255,255,0.95)';
      ctx.beginPath();
      ctx.arc(size / 2, size / 2, size / 2 - ctx.lineWidth / 2, 0, Math.PI * 2);
      ctx.stroke();
    }
  }
  scene.textures.addCanvas(key, canvas);
  return key;
}

/**
 * Draws the picture filling a `size` square (cropping a non-square picture in the middle),
 * zoomed by `zoom` around the pet's middle.
 */
function drawCover(ctx: CanvasRenderingContext2D, image: HTMLImageElement, size: number, zoom: number): void {
  // An SVG without intrinsic size reports 0: treat it as square.
  const w = image.naturalWidth || size;
  const h = image.naturalHeight || size;
  const scale = (size / Math.min(w, h)) * zoom;
  const dw = w * scale;
  const dh = h * scale;
  // Zooming keeps the pet's middle (a little below the centre) in place.
  const cx = (size - dw) / 2;
  const cy = size / 2 - dh * (zoom > 1 ? 0.55 : 0.5);
  ctx.drawImage(image, cx, cy, dw, dh);
}

function roundedRect(ctx: CanvasRenderingContext2D, x: number, y: number, w: number, h: number, r: number): void {
  ctx.moveTo(x + r, y);
  ctx.arcTo(x + w, y, x + w, y + h, r);
  ctx.arcTo(x + w, y + h, x, y + h, r);
  ctx.arcTo(x, y + h, x, y, r);
  ctx.arcTo(x, y, x + w, y, r);
  ctx.closePath();
}
