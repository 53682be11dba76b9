/** The pet album (#14): every ready picture a pet had, newest first, keyset-paged (owner or friend). */
import type { FastifyInstance } from 'fastify';
import { ALBUM_PAGE_DEFAULT, AlbumQuerySchema, AlbumSchema, PetParamsSchema } from '../../../shared/dto.js';
import { decodeAlbumCursor } from '../../services/album.js';
import { requirePlayer } from '../auth.js';
import type { HttpDeps } from '../http-deps.js';
import { errors, PLAYER_SECURITY, playerScope } from '../route-kit.js';

export function albumRoutes(deps: HttpDeps) {
  return async (root: FastifyInstance): Promise<void> => {
    const api = playerScope(root, deps);

    api.get(
      '/pets/:petId/album',
      {
        schema: {
          tags: ['images'],
          summary:
            "A pet's album: every ready picture it had (each stage, form and coat, regenerated ones; never a hidden one), newest ready first, " +
            'with the pet (name, species, stage, age, born) and which picture it shows now. Owner or friend (a banned owner\'s pets: 403). ' +
            '`limit` 1–50 (default 20); page on with `cursor` = `nextCursor` (null on the last page); any other cursor → 400 CURSOR_INVALID',
          security: PLAYER_SECURITY,
          params: PetParamsSchema,
          querystring: AlbumQuerySchema,
          response: { 200: AlbumSchema, ...errors(400, 401, 403, 404) },
        },
      },
      async (request) => {
        const viewer = requirePlayer(request);
        // A bad cursor is refused before anything is read or loaded.
        const after = request.query.cursor === undefined ? null : decodeAlbumCursor(request.query.cursor);
        const limit = request.query.limit === undefined ? ALBUM_PAGE_DEFAULT : Number(request.query.limit);
        const pet = await deps.pets.get(viewer.id, request.params.petId);
        return deps.images.album(pet, limit, after);
      },
    );
  };
}
