/** Builds the colyseus.js client for this origin, authenticated with the launch initData. */
import { Client } from 'colyseus.js';
import { encodeTokenParam } from './auth-token-url.js';

export function createColyseusClient(initData: string): Client {
  const endpoint = location.origin.replace(/^http/, 'ws');
  const client = new Client(endpoint, { urlBuilder: encodeTokenParam(initData) });
  client.auth.token = initData;
  return client;
}
