export { renderPetSvg, DEFAULT_PROCEDURAL_SIZE, type ProceduralPetInput } from './render.js';
/** Skin ids the procedural renderer draws; any other id renders as 'default'. */
export { SKINS as PROCEDURAL_SKINS, type SkinId as ProceduralSkinId } from './palette.js';
