/**
 * Screening of client frames before Colyseus decodes them. Colyseus 0.16 has no hook for it
 * (the home room used to override `Room#_onMessage`, which later versions make private), so
 * the guarded transport (guarded-transport.ts) asks the room, for every frame a socket
 * receives, whether to pass it on: a room that implements `FrameScreen` sees each frame first.
 */
import { unpack } from '@colyseus/msgpackr';
import { Protocol, type Client } from '@colyseus/core';
import { decode } from '@colyseus/schema';

/** A room that sees each frame of a joined client before Colyseus decodes it. */
export interface FrameScreen {
  /** True to let Colyseus handle the frame; false drops it (the room has answered as it sees fit). */
  screenFrame(client: Client, frame: Buffer): boolean;
}

export function isFrameScreen(room: object): room is FrameScreen {
  return typeof (room as Partial<FrameScreen>).screenFrame === 'function';
}

/**
 * Whether the frame is a room message: `room.send(type, payload)` (ROOM_DATA, a msgpack
 * payload) or `room.sendBytes(type, bytes)` (ROOM_DATA_BYTES, raw bytes). Both start with a
 * type that Colyseus decodes.
 */
export function isRoomData(frame: Buffer): boolean {
  return frame[0] === Protocol.ROOM_DATA || frame[0] === Protocol.ROOM_DATA_BYTES;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Reads the message type at `it.offset`: a msgpack string (valid UTF-8 only, inside the
 * frame) or a number. Not @colyseus/schema's `decode.string`: on invalid UTF-8 it writes a
 * line to the console for every frame (a client could fill the log with them) and reads
 * past the end of the frame.
 */
function readType(frame: Buffer, it: { offset: number }): string {
  if (!decode.stringCheck(frame, it)) {
    const value: unknown = decode.number(frame, it);
    if (typeof value !== 'number' || Number.isNaN(value) || it.offset > frame.byteLength) throw new RangeError('no type');
    return String(value);
  }
  const prefix = frame[it.offset++]!;
  let length: number;
  if (prefix < 0xc0) length = prefix & 0x1f;
  else if (prefix === 0xd9) length = frame.readUInt8(it.offset++);
  else if (prefix === 0xda) {
    length = frame.readUInt16LE(it.offset);
    it.offset += 2;
  } else {
    length = frame.readUInt32LE(it.offset);
    it.offset += 4;
  }
  const end = it.offset + length;
  if (end > frame.byteLength) throw new RangeError('the type runs past the frame');
  const type = utf8.decode(frame.subarray(it.offset, end));
  it.offset = end;
  return type;
}

/** The type of a room message frame (numbers as strings), or null when it cannot be read. */
export function frameType(frame: Buffer): string | null {
  try {
    return readType(frame, { offset: 1 });
  } catch {
    return null;
  }
}

/**
 * Whether Colyseus will be able to decode this room message frame (it disconnects the sender
 * otherwise, or writes to the console): a readable type, and for ROOM_DATA a msgpack body.
 */
export function decodable(frame: Buffer): boolean {
  try {
    // Colyseus's steps: protocol byte, message type, msgpack body (ROOM_DATA_BYTES: raw bytes).
    const it = { offset: 1 };
    readType(frame, it);
    if (frame[0] === Protocol.ROOM_DATA && frame.byteLength > it.offset) unpack(frame.subarray(it.offset, frame.byteLength));
    return true;
  } catch {
    return false;
  }
}
