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

/** Whether the frame is a room message carrying msgpack data (`room.send(type, payload)`). */
export function isRoomData(frame: Buffer): boolean {
  return frame[0] === Protocol.ROOM_DATA;
}

/** The type of a ROOM_DATA frame (numbers as strings), or null when it cannot be read. */
export function frameType(frame: Buffer): string | null {
  try {
    const it = { offset: 1 };
    return decode.stringCheck(frame, it) ? decode.string(frame, it) : String(decode.number(frame, it));
  } catch {
    return null;
  }
}

/** Whether Colyseus will be able to decode this ROOM_DATA frame (it disconnects the sender otherwise). */
export function decodable(frame: Buffer): boolean {
  try {
    // Colyseus's steps: protocol byte, message type, msgpack body.
    const it = { offset: 1 };
    if (decode.stringCheck(frame, it)) decode.string(frame, it);
    else decode.number(frame, it);
    if (frame.byteLength > it.offset) unpack(frame.subarray(it.offset, frame.byteLength));
    return true;
  } catch {
    return false;
  }
}
