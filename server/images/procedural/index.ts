export { renderPetSvg, type ProceduralPetInput } from './render.js';
