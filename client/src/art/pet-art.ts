/**
 * Procedural pet portraits. This module is the one seam the AI image pipeline will replace:
 * everything else asks it for a texture key for a (species, stage, sick, mood, asleep) look and
 * never draws pets itself. The portrait is a front-facing, sitting "sticker" on a
 * transparent square; the pet's feet rest at `PET_FEET_Y` of the height.
 */
import type Phaser from 'phaser';
import type { Species, StageName } from '../../../shared/balance.js';
import { SPECIES_COLORS, type SpeciesColors } from '../../../shared/species-colors.js';
import { mix, parseHex, toHex, type Rgb } from '../../../shared/color.js';
import { PET_EGG, PET_EYE, PET_STAGE_PROPORTIONS, type PetProportions } from '../../../shared/pet-proportions.js';

export type PetMood = 'happy' | 'neutral' | 'sad';

interface PetLook {
  species: Species;
  stage: StageName;
  sick: boolean;
  /** Facial expression; an image pipeline may ignore it and show one picture per stage. */
  mood?: PetMood;
  /** Eyes closed, snoozing (quiet hours). */
  asleep?: boolean;
}

/** Side of the square texture in pixels: crisp at ~250 CSS px on a 2x screen. */
const PET_TEXTURE_SIZE = 512;
/** Where the feet touch the floor, as a fraction of the texture height (the image origin). */
export const PET_FEET_Y = 0.92;

const INK = '#3d2c29';
const SICK_TINT = '#a9c98f';

const rgb = (hex: string): Rgb => parseHex(hex) ?? { r: 0, g: 0, b: 0 };
const shade = (hex: string, toward: string, amount: number): string => toHex(mix(rgb(hex), rgb(toward), amount));

function ellipsePath(ctx: CanvasRenderingContext2D, cx: number, cy: number, rx: number, ry: number, rot = 0): void {
  ctx.beginPath();
  ctx.ellipse(cx, cy, rx, ry, rot, 0, Math.PI * 2);
}

/** Fills the current path with a soft top-left highlight and outlines it. */
function furFill(ctx: CanvasRenderingContext2D, fur: string, cx: number, cy: number, r: number, outline: string, line: number): void {
  const g = ctx.createRadialGradient(cx - r * 0.35, cy - r * 0.45, r * 0.1, cx, cy, r * 1.25);
  g.addColorStop(0, shade(fur, '#ffffff', 0.28));
  g.addColorStop(0.6, fur);
  g.addColorStop(1, shade(fur, INK, 0.18));
  ctx.fillStyle = g;
  ctx.fill();
  ctx.lineWidth = line;
  ctx.strokeStyle = outline;
  ctx.stroke();
}

function pointedEar(
  ctx: CanvasRenderingContext2D,
  baseX: number,
  baseY: number,
  width: number,
  height: number,
  tilt: number,
): void {
  // A triangle with a rounded tip, built in local space and rotated outward.
  ctx.save();
  ctx.translate(baseX, baseY);
  ctx.rotate(tilt);
  ctx.beginPath();
  ctx.moveTo(-width / 2, 0);
  ctx.quadraticCurveTo(-width * 0.2, -height * 0.75, -width * 0.05, -height);
  ctx.quadraticCurveTo(0, -height * 1.04, width * 0.05, -height);
  ctx.quadraticCurveTo(width * 0.2, -height * 0.75, width / 2, 0);
  ctx.closePath();
  ctx.restore();
}

function drawEyes(ctx: CanvasRenderingContext2D, S: number, look: Required<PetLook>, hx: number, hy: number, headR: number, eyeScale: number): void {
  const dx = headR * PET_EYE.spacing;
  const ey = hy + headR * PET_EYE.drop;
  const r = headR * PET_EYE.radius * eyeScale;
  ctx.lineCap = 'round';
  ctx.strokeStyle = INK;
  ctx.fillStyle = INK;
  for (const side of [-1, 1]) {
    const ex = hx + side * dx;
    if (look.asleep) {
      // Closed, relaxed lids: a soft downward curve with a lash at the outer corner.
      ctx.lineWidth = S * 0.015;
      ctx.beginPath();
      ctx.arc(ex, ey - r * 0.35, r * 0.95, Math.PI * 0.15, Math.PI * 0.85);
      ctx.stroke();
      ctx.lineWidth = S * 0.008;
      ctx.beginPath();
      ctx.moveTo(ex + side * r * 0.85, ey + r * 0.05);
      ctx.lineTo(ex + side * r * 1.2, ey + r * 0.3);
      ctx.stroke();
    } else if (look.sick) {
      // Heavy lids: a half-closed eye reads as "unwell" at any size.
      ctx.beginPath();
      ctx.arc(ex, ey + r * 0.2, r * 0.85, 0, Math.PI);
      ctx.fill();
      ctx.lineWidth = S * 0.012;
      ctx.beginPath();
      ctx.moveTo(ex - r * 1.1, ey + r * 0.05);
      ctx.lineTo(ex + r * 1.1, ey + r * 0.25 * side);
      ctx.stroke();
    } else if (look.mood === 'happy') {
      ctx.lineWidth = S * 0.016;
      ctx.beginPath();
      ctx.arc(ex, ey + r * 0.45, r * 0.95, Math.PI * 1.15, Math.PI * 1.85);
      ctx.stroke();
    } else {
      ellipsePath(ctx, ex, ey, r, r * PET_EYE.tall);
      ctx.fill();
      ctx.fillStyle = '#ffffff';
      ellipsePath(ctx, ex - r * 0.32, ey - r * 0.38, r * 0.36, r * 0.36);
      ctx.fill();
      ellipsePath(ctx, ex + r * 0.35, ey + r * 0.35, r * 0.16, r * 0.16);
      ctx.fill();
      ctx.fillStyle = INK;
      if (look.mood === 'sad') {
        // Brows raised in the middle, and one tear.
        ctx.lineWidth = S * 0.011;
        ctx.beginPath();
        ctx.moveTo(ex - side * r * 1.0, ey - r * 2.0);
        ctx.lineTo(ex + side * r * 0.9, ey - r * 1.5);
        ctx.stroke();
      }
    }
  }
  if (look.mood === 'sad' && !look.sick && !look.asleep) {
    const tx = hx + dx + r * 0.6;
    const ty = ey + r * 1.5;
    ctx.fillStyle = '#7cc3f2';
    ctx.beginPath();
    ctx.moveTo(tx, ty - r * 0.8);
    ctx.quadraticCurveTo(tx + r * 0.55, ty, tx, ty + r * 0.45);
    ctx.quadraticCurveTo(tx - r * 0.55, ty, tx, ty - r * 0.8);
    ctx.fill();
  }
}

function drawMouth(ctx: CanvasRenderingContext2D, S: number, look: Required<PetLook>, c: SpeciesColors, hx: number, hy: number, headR: number): void {
  const ny = hy + headR * 0.3;
  const nr = headR * 0.075;
  // Nose: a rounded inverted triangle.
  ctx.fillStyle = c.nose;
  ctx.beginPath();
  ctx.moveTo(hx - nr * 1.3, ny - nr * 0.6);
  ctx.quadraticCurveTo(hx, ny - nr * 1.1, hx + nr * 1.3, ny - nr * 0.6);
  ctx.quadraticCurveTo(hx, ny + nr * 1.5, hx - nr * 1.3, ny - nr * 0.6);
  ctx.fill();

  ctx.strokeStyle = INK;
  ctx.lineWidth = S * 0.01;
  ctx.lineCap = 'round';
  const my = ny + nr * 1.2;
  const w = headR * 0.16;
  ctx.beginPath();
  if (look.asleep && !look.sick) {
    // A small open mouth: snoring softly.
    ellipsePath(ctx, hx, my + w * 0.55, w * 0.38, w * 0.45);
    ctx.fillStyle = '#c8505f';
    ctx.fill();
    ctx.stroke();
  } else if (look.sick) {
    // A wobbly line: queasy.
    ctx.moveTo(hx - w * 1.2, my + w * 0.5);
    ctx.quadraticCurveTo(hx - w * 0.6, my + w * 0.1, hx, my + w * 0.5);
    ctx.quadraticCurveTo(hx + w * 0.6, my + w * 0.9, hx + w * 1.2, my + w * 0.5);
    ctx.stroke();
  } else if (look.mood === 'sad') {
    ctx.arc(hx, my + w * 1.3, w * 0.9, Math.PI * 1.2, Math.PI * 1.8);
    ctx.stroke();
  } else if (look.mood === 'happy') {
    ctx.moveTo(hx - w * 1.3, my);
    ctx.quadraticCurveTo(hx, my + w * 2.4, hx + w * 1.3, my);
    ctx.closePath();
    ctx.fillStyle = '#c8505f';
    ctx.fill();
    ctx.stroke();
    if (look.species === 'dog') {
      ctx.fillStyle = '#ff8a9a';
      ellipsePath(ctx, hx, my + w * 1.05, w * 0.55, w * 0.45);
      ctx.fill();
    }
  } else {
    // The little "w" of a content animal.
    ctx.moveTo(hx - w * 1.1, my + w * 0.15);
    ctx.quadraticCurveTo(hx - w * 0.55, my + w * 0.9, hx, my);
    ctx.quadraticCurveTo(hx + w * 0.55, my + w * 0.9, hx + w * 1.1, my + w * 0.15);
    ctx.stroke();
  }
}

function drawEgg(ctx: CanvasRenderingContext2D, S: number, look: Required<PetLook>): void {
  const c = SPECIES_COLORS[look.species];
  const cx = S * 0.5;
  const bottom = S * PET_FEET_Y;
  const h = S * PET_EGG.height;
  const w = S * PET_EGG.width;
  const top = bottom - h;
  const shell = look.sick ? shade('#fff6e8', SICK_TINT, 0.35) : '#fff6e8';
  const outline = shade(c.fur, INK, 0.55);

  const eggPath = (): void => {
    ctx.beginPath();
    ctx.moveTo(cx, top);
    // Narrow crown, broad base: an egg, not a pill.
    ctx.bezierCurveTo(cx + w * PET_EGG.crown, top, cx + w * PET_EGG.base, bottom, cx, bottom);
    ctx.bezierCurveTo(cx - w * PET_EGG.base, bottom, cx - w * PET_EGG.crown, top, cx, top);
    ctx.closePath();
  };
  eggPath();
  furFill(ctx, shell, cx, top + h * 0.55, w * 0.6, outline, S * 0.014);

  // Species-coloured spots, clipped to the shell.
  ctx.save();
  eggPath();
  ctx.clip();
  ctx.fillStyle = look.sick ? shade(c.eggSpot, SICK_TINT, 0.4) : c.eggSpot;
  for (const [sx, sy, sr] of PET_EGG.spots) {
    ellipsePath(ctx, cx + sx * w, top + sy * h, sr * S, sr * S * 0.85);
    ctx.fill();
  }
  ctx.restore();

  // A sleepy face peeking out of the shell.
  const fy = top + h * 0.5;
  ctx.strokeStyle = INK;
  ctx.lineWidth = S * 0.012;
  ctx.lineCap = 'round';
  for (const side of [-1, 1]) {
    ctx.beginPath();
    if (look.mood === 'sad' || look.sick || look.asleep) {
      ctx.moveTo(cx + side * w * 0.28 - S * 0.03, fy);
      ctx.lineTo(cx + side * w * 0.28 + S * 0.03, fy);
    } else {
      ctx.arc(cx + side * w * 0.28, fy - S * 0.012, S * 0.03, Math.PI * 0.15, Math.PI * 0.85);
    }
    ctx.stroke();
  }
  ctx.fillStyle = look.sick ? 'rgba(140, 190, 110, 0.55)' : 'rgba(255, 140, 150, 0.45)';
  for (const side of [-1, 1]) {
    ellipsePath(ctx, cx + side * w * 0.36, fy + S * 0.045, S * 0.035, S * 0.022);
    ctx.fill();
  }
  if (look.sick) drawBandage(ctx, S, cx + w * 0.18, top + h * 0.28);
}

function drawBandage(ctx: CanvasRenderingContext2D, S: number, x: number, y: number): void {
  ctx.save();
  ctx.translate(x, y);
  ctx.rotate(-0.6);
  ctx.fillStyle = '#f6d7b0';
  ctx.strokeStyle = shade('#f6d7b0', INK, 0.45);
  ctx.lineWidth = S * 0.006;
  const w = S * 0.13;
  const h = S * 0.045;
  ctx.beginPath();
  ctx.roundRect(-w / 2, -h / 2, w, h, h / 2);
  ctx.fill();
  ctx.stroke();
  ctx.fillStyle = shade('#f6d7b0', INK, 0.2);
  for (const dx of [-0.15, 0, 0.15]) {
    ellipsePath(ctx, dx * w * 0.6, 0, S * 0.004, S * 0.004);
    ctx.fill();
  }
  ctx.restore();
}

function drawTail(ctx: CanvasRenderingContext2D, S: number, look: Required<PetLook>, c: SpeciesColors, fur: string, outline: string, bx: number, by: number, bw: number, bh: number): void {
  const line = S * 0.014;
  const x0 = bx + bw * 0.42;
  const y0 = by + bh * 0.3;
  switch (look.species) {
    case 'cat': {
      // A long tail curling up: a thick stroke with an outline drawn underneath.
      const path = (): void => {
        ctx.beginPath();
        ctx.moveTo(x0 - bw * 0.1, y0);
        ctx.bezierCurveTo(x0 + bw * 0.5, y0 + bh * 0.1, x0 + bw * 0.45, y0 - bh * 0.9, x0 + bw * 0.2, y0 - bh * 1.05);
      };
      ctx.lineCap = 'round';
      path();
      ctx.strokeStyle = outline;
      ctx.lineWidth = S * 0.07 + line * 2;
      ctx.stroke();
      path();
      ctx.strokeStyle = fur;
      ctx.lineWidth = S * 0.07;
      ctx.stroke();
      break;
    }
    case 'dog': {
      ctx.lineCap = 'round';
      const path = (): void => {
        ctx.beginPath();
        ctx.moveTo(x0 - bw * 0.05, y0 + bh * 0.05);
        ctx.quadraticCurveTo(x0 + bw * 0.45, y0 - bh * 0.05, x0 + bw * 0.38, y0 - bh * 0.6);
      };
      path();
      ctx.strokeStyle = outline;
      ctx.lineWidth = S * 0.06 + line * 2;
      ctx.stroke();
      path();
      ctx.strokeStyle = fur;
      ctx.lineWidth = S * 0.06;
      ctx.stroke();
      break;
    }
    case 'fox': {
      const tx = x0 + bw * 0.3;
      const ty = y0 - bh * 0.35;
      ellipsePath(ctx, tx, ty, bw * 0.36, bh * 0.62, 0.55);
      furFill(ctx, fur, tx, ty, bw * 0.4, outline, line);
      // The white tip, clipped to the tail.
      ctx.save();
      ellipsePath(ctx, tx, ty, bw * 0.36, bh * 0.62, 0.55);
      ctx.clip();
      ctx.fillStyle = c.belly;
      ellipsePath(ctx, tx + bw * 0.24, ty - bh * 0.48, bw * 0.3, bh * 0.3, 0.55);
      ctx.fill();
      ctx.restore();
      ellipsePath(ctx, tx, ty, bw * 0.36, bh * 0.62, 0.55);
      ctx.lineWidth = line;
      ctx.strokeStyle = outline;
      ctx.stroke();
      break;
    }
    case 'bunny': {
      const tx = x0 + bw * 0.08;
      const ty = y0 + bh * 0.1;
      ellipsePath(ctx, tx, ty, bw * 0.2, bw * 0.18);
      furFill(ctx, '#ffffff', tx, ty, bw * 0.2, outline, line);
      break;
    }
  }
}

function drawEars(ctx: CanvasRenderingContext2D, S: number, look: Required<PetLook>, c: SpeciesColors, fur: string, outline: string, hx: number, hy: number, headR: number, earScale: number): void {
  const line = S * 0.014;
  if (look.species === 'dog') return; // Floppy ears hang in front of the head; drawn later.
  for (const side of [-1, 1]) {
    if (look.species === 'bunny') {
      const headTop = hy - headR;
      const length = Math.min(headR * 1.5 * earScale, headTop - S * 0.03 + headR * 0.5);
      const ex = hx + side * headR * 0.42;
      const ey = headTop + headR * 0.5 - length / 2;
      const tilt = side * (look.sick || look.mood === 'sad' ? 0.55 : 0.16);
      ellipsePath(ctx, ex + side * length * 0.1, ey, headR * 0.26, length / 2, tilt);
      furFill(ctx, fur, ex, ey, length / 2, outline, line);
      ctx.fillStyle = c.innerEar;
      ellipsePath(ctx, ex + side * length * 0.1, ey + length * 0.04, headR * 0.13, length * 0.38, tilt);
      ctx.fill();
      continue;
    }
    const w = headR * (look.species === 'fox' ? 0.78 : 0.7);
    const h = headR * (look.species === 'fox' ? 0.95 : 0.75) * earScale;
    const bx = hx + side * headR * 0.58;
    const by = hy - headR * 0.62;
    const tilt = side * (look.sick || look.mood === 'sad' ? 0.75 : 0.38);
    pointedEar(ctx, bx, by, w, h, tilt);
    furFill(ctx, fur, bx, by - h / 2, h, outline, line);
    pointedEar(ctx, bx, by + h * 0.04, w * 0.5, h * 0.68, tilt);
    ctx.fillStyle = c.innerEar;
    ctx.fill();
  }
}

function drawFloppyEars(ctx: CanvasRenderingContext2D, S: number, look: Required<PetLook>, c: SpeciesColors, outline: string, hx: number, hy: number, headR: number, earScale: number): void {
  const ear = look.sick ? shade(c.innerEar, SICK_TINT, 0.3) : c.innerEar;
  for (const side of [-1, 1]) {
    const ex = hx + side * headR * 0.92;
    const ey = hy - headR * 0.05;
    const droop = look.sick || look.mood === 'sad' ? 0.05 : 0.32;
    ellipsePath(ctx, ex, ey, headR * 0.3 * earScale, headR * 0.62 * earScale, side * droop);
    furFill(ctx, ear, ex, ey, headR * 0.6, outline, S * 0.014);
  }
}

function drawCritter(ctx: CanvasRenderingContext2D, S: number, look: Required<PetLook>, shape: PetProportions): void {
  const c = SPECIES_COLORS[look.species];
  const fur = look.sick ? shade(c.fur, SICK_TINT, 0.38) : c.fur;
  const belly = look.sick ? shade(c.belly, SICK_TINT, 0.3) : c.belly;
  const outline = shade(c.fur, INK, 0.6);
  const line = S * 0.014;

  const floor = S * PET_FEET_Y;
  const bw = S * shape.bodyW;
  const bh = S * shape.bodyH;
  const bx = S * 0.5;
  const by = floor - bh / 2;
  const headR = S * shape.headR;
  const hx = S * 0.5;
  const hy = floor - bh * 0.82 - headR * 0.72;

  drawTail(ctx, S, look, c, fur, outline, bx, by, bw, bh);

  // Back feet peeking out at the sides.
  for (const side of [-1, 1]) {
    ellipsePath(ctx, bx + side * bw * 0.36, floor - bh * 0.08, bw * 0.2, bh * 0.13);
    furFill(ctx, fur, bx + side * bw * 0.36, floor - bh * 0.08, bw * 0.2, outline, line);
  }

  ellipsePath(ctx, bx, by, bw / 2, bh / 2);
  furFill(ctx, fur, bx, by, Math.max(bw, bh) / 2, outline, line);
  ctx.fillStyle = belly;
  ellipsePath(ctx, bx, by + bh * 0.1, bw * 0.3, bh * 0.36);
  ctx.fill();

  // Front paws.
  for (const side of [-1, 1]) {
    const px = bx + side * bw * 0.17;
    const py = floor - bh * 0.06;
    ellipsePath(ctx, px, py, bw * 0.12, bh * 0.1);
    furFill(ctx, fur, px, py, bw * 0.12, outline, line);
  }

  drawEars(ctx, S, look, c, fur, outline, hx, hy, headR, shape.ear);

  ellipsePath(ctx, hx, hy, headR * 1.1, headR);
  furFill(ctx, fur, hx, hy, headR * 1.1, outline, line);

  // Species markings on the face.
  ctx.save();
  ellipsePath(ctx, hx, hy, headR * 1.1, headR);
  ctx.clip();
  if (look.species === 'fox') {
    ctx.fillStyle = belly;
    for (const side of [-1, 1]) {
      ellipsePath(ctx, hx + side * headR * 0.55, hy + headR * 0.5, headR * 0.62, headR * 0.42, side * -0.35);
      ctx.fill();
    }
  } else if (look.species === 'dog') {
    ctx.fillStyle = shade(fur, c.accent, 0.75);
    ellipsePath(ctx, hx + headR * 0.42, hy - headR * 0.02, headR * 0.3, headR * 0.34, 0.3);
    ctx.fill();
    ctx.fillStyle = belly;
    ellipsePath(ctx, hx, hy + headR * 0.42, headR * 0.42, headR * 0.3);
    ctx.fill();
  } else if (look.species === 'cat') {
    ctx.strokeStyle = shade(fur, c.accent, 0.9);
    ctx.lineWidth = S * 0.016;
    ctx.lineCap = 'round';
    for (const dx of [-0.22, 0, 0.22]) {
      ctx.beginPath();
      ctx.moveTo(hx + dx * headR, hy - headR * 0.95);
      ctx.lineTo(hx + dx * headR * 0.8, hy - headR * (dx === 0 ? 0.62 : 0.7));
      ctx.stroke();
    }
  } else {
    ctx.fillStyle = belly;
    ellipsePath(ctx, hx, hy + headR * 0.45, headR * 0.5, headR * 0.32);
    ctx.fill();
  }
  ctx.restore();

  if (look.species === 'dog') drawFloppyEars(ctx, S, look, c, outline, hx, hy, headR, shape.ear);

  // Cheeks: pink when well, green when sick.
  ctx.fillStyle = look.sick ? 'rgba(130, 180, 95, 0.6)' : 'rgba(255, 120, 140, 0.38)';
  for (const side of [-1, 1]) {
    ellipsePath(ctx, hx + side * headR * 0.66, hy + headR * 0.32, headR * 0.17, headR * 0.1);
    ctx.fill();
  }

  drawEyes(ctx, S, look, hx, hy, headR, shape.eye);
  drawMouth(ctx, S, look, c, hx, hy, headR);

  if (look.species === 'cat' || look.species === 'fox') {
    // Whiskers.
    ctx.strokeStyle = shade(fur, INK, 0.45);
    ctx.lineWidth = S * 0.006;
    for (const side of [-1, 1]) {
      for (const k of [-1, 1]) {
        ctx.beginPath();
        ctx.moveTo(hx + side * headR * 0.78, hy + headR * 0.36 + k * headR * 0.05);
        ctx.lineTo(hx + side * headR * 1.22, hy + headR * 0.3 + k * headR * 0.14);
        ctx.stroke();
      }
    }
  }

  if (look.sick) drawBandage(ctx, S, hx - headR * 0.55, hy - headR * 0.62);
}

/**
 * Draws a pet portrait into `ctx` over a `size`×`size` square starting at the origin.
 * Pure canvas drawing, so DOM previews and Phaser textures share it.
 */
export function drawPet(ctx: CanvasRenderingContext2D, look: PetLook, size: number): void {
  const full: Required<PetLook> = { mood: 'neutral', asleep: false, ...look };
  ctx.save();
  ctx.lineJoin = 'round';
  if (full.stage === 'egg') drawEgg(ctx, size, full);
  else drawCritter(ctx, size, full, PET_STAGE_PROPORTIONS[full.stage]);
  ctx.restore();
}

function petTextureKey(look: PetLook): string {
  return `pet:${look.species}:${look.stage}:${look.sick ? 'sick' : 'well'}:${look.mood ?? 'neutral'}${look.asleep ? ':asleep' : ''}`;
}

/** Returns the texture key for `look`, drawing the texture the first time it is needed. */
export function ensurePetTexture(scene: Phaser.Scene, look: PetLook): string {
  const key = petTextureKey(look);
  if (scene.textures.exists(key)) return key;
  const canvas = document.createElement('canvas');
  canvas.width = PET_TEXTURE_SIZE;
  canvas.height = PET_TEXTURE_SIZE;
  const ctx = canvas.getContext('2d');
  if (ctx) drawPet(ctx, look, PET_TEXTURE_SIZE);
  scene.textures.addCanvas(key, canvas);
  return key;
}
