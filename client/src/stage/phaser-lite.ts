/**
 * The Phaser the Mini App ships: built from Phaser's sources with only what the scenes use
 * (client/vite.config.ts aliases `phaser` to this file for the build; the types stay
 * Phaser's own). Left out next to the full `phaser.js` entry: physics (Arcade and Matter),
 * tilemaps, sound (also switched off by `FEATURE_SOUND`), the loader, lights, keyboard and
 * gamepad input, curves, actions, and every game object but the ones below. Each factory
 * module registers its `scene.add.*` method when imported; each scene plugin module
 * registers the plugin (a default plugin that is not registered is skipped by Phaser).
 *
 * Adding a game object or a scene system to a scene means importing its factory or plugin
 * here: a missing one fails at once (`this.add.xyz is not a function`).
 */
import type PhaserTypes from 'phaser';
import CONST from 'phaser-src/const.js';
// The renderers' index first, as Phaser's own entry loads it: its modules require each other
// in a cycle (a batch handler needs the index) that only resolves when entered here.
import 'phaser-src/renderer/index.js';
import CoreEvents from 'phaser-src/core/events/index.js';
import Game from 'phaser-src/core/Game.js';
import InputEvents from 'phaser-src/input/events/index.js';
import Scale from 'phaser-src/scale/index.js';
import Scene from 'phaser-src/scene/Scene.js';
import ScenesEvents from 'phaser-src/scene/events/index.js';
// Scene systems (each registers itself with the plugin cache).
import 'phaser-src/cameras/2d/CameraManager.js';
import 'phaser-src/data/DataManagerPlugin.js';
import 'phaser-src/events/EventEmitter.js';
import 'phaser-src/gameobjects/DisplayList.js';
import 'phaser-src/gameobjects/GameObjectCreator.js';
import 'phaser-src/gameobjects/GameObjectFactory.js';
import 'phaser-src/gameobjects/UpdateList.js';
import 'phaser-src/input/InputPlugin.js';
import 'phaser-src/scene/ScenePlugin.js';
import 'phaser-src/time/Clock.js';
import 'phaser-src/tweens/TweenManager.js';
// Game objects (each registers its `add.*` factory).
import 'phaser-src/gameobjects/container/ContainerFactory.js';
import 'phaser-src/gameobjects/graphics/GraphicsFactory.js';
import 'phaser-src/gameobjects/image/ImageFactory.js';
import 'phaser-src/gameobjects/particles/ParticleEmitterFactory.js';
import 'phaser-src/gameobjects/shape/ellipse/EllipseFactory.js';
import 'phaser-src/gameobjects/shape/rectangle/RectangleFactory.js';
import 'phaser-src/gameobjects/text/TextFactory.js';
import 'phaser-src/gameobjects/zone/ZoneFactory.js';
// Game object classes the scenes construct or extend themselves (the containers of scene/).
import Container from 'phaser-src/gameobjects/container/Container.js';
import Graphics from 'phaser-src/gameobjects/graphics/Graphics.js';
import Image from 'phaser-src/gameobjects/image/Image.js';
import ParticleEmitter from 'phaser-src/gameobjects/particles/ParticleEmitter.js';
import Ellipse from 'phaser-src/gameobjects/shape/ellipse/Ellipse.js';
import Rectangle from 'phaser-src/gameobjects/shape/rectangle/Rectangle.js';
import Text from 'phaser-src/gameobjects/text/Text.js';
import Zone from 'phaser-src/gameobjects/zone/Zone.js';

/** The parts of the Phaser namespace the client reads at run time (the rest is types only). */
const Phaser = {
  ...(CONST as object),
  Core: { Events: CoreEvents },
  Game,
  GameObjects: { Container, Ellipse, Graphics, Image, Particles: { ParticleEmitter }, Rectangle, Text, Zone },
  Input: { Events: InputEvents },
  Scale,
  Scene,
  Scenes: { Events: ScenesEvents },
} as unknown as typeof PhaserTypes;

export default Phaser;
