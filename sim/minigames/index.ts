/** The minigame simulation's public surface: what the server's game host, benches and tests use. */
export {
  TARGET_BALL,
  createGameWorld,
  dropSession,
  endSession,
  startSession,
  type GameEndReason,
  type GameSession,
  type GameWorld,
} from './game-world.js';
export { tickGames } from './systems.js';
export { tapAt, type TapOutcome } from './tap.js';
