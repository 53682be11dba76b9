/**
 * The pet album's pieces that need no I/O: its opaque keyset cursor and a stored picture as
 * the album shows it. `ImageService.album` reads the page.
 */
import { ADULT_FORMS, stageName } from '../../shared/balance.js';
import type { AlbumPictureDto } from '../../shared/dto.js';
import { AppError } from '../../shared/errors.js';
import type { AlbumPosition, ImageMeta } from '../repositories/images-repository.js';

/** What an image id can be (uuids, and the ids tests write): the only thing a cursor carries into a query. */
const CURSOR_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function encodeAlbumCursor(position: AlbumPosition): string {
  return Buffer.from(JSON.stringify([position.readyAt, position.id])).toString('base64url');
}

/** The position a `nextCursor` names; anything else is 400 CURSOR_INVALID. */
export function decodeAlbumCursor(cursor: string): AlbumPosition {
  if (/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) {
    try {
      const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
      if (Array.isArray(value) && value.length === 2 && Number.isSafeInteger(value[0]) && (value[0] as number) >= 0 && typeof value[1] === 'string' && CURSOR_ID.test(value[1])) {
        return { readyAt: value[0] as number, id: value[1] };
      }
    } catch {
      // Not JSON: refused below.
    }
  }
  throw new AppError('CURSOR_INVALID');
}

/** A ready picture as the album lists it; `currentId` is the picture the pet shows now. */
export function toAlbumPicture(image: ImageMeta, url: string, currentId: string | null): AlbumPictureDto {
  return {
    id: image.id,
    url,
    stage: stageName(image.stage),
    adultForm: ADULT_FORMS[image.variant] ?? 'none',
    skin: image.skin,
    provider: image.provider === 'procedural' ? 'procedural' : 'ai',
    regenerated: image.requested_by === 'player',
    createdAt: new Date(Number(image.created_at)).toISOString(),
    readyAt: new Date(Number(image.completed_at ?? image.created_at)).toISOString(),
    current: image.id === currentId,
  };
}
