import type { FriendDto } from '../../shared/dto.js';
import { AppError } from '../../shared/errors.js';
import type { FriendRow, FriendsRepository } from '../repositories/friends-repository.js';
import type { PlayerRow, PlayersRepository } from '../repositories/players-repository.js';

export class FriendService {
  constructor(
    private readonly deps: { friends: FriendsRepository; players: PlayersRepository; now?: () => number },
  ) {}

  /** Befriends the owner of `inviteCode`; INVITE_NOT_FOUND, FRIEND_SELF or ALREADY_FRIENDS otherwise. */
  async addByInviteCode(player: PlayerRow, inviteCode: string): Promise<FriendDto> {
    const friend = await this.deps.players.findByInviteCode(inviteCode);
    if (!friend) throw new AppError('INVITE_NOT_FOUND');
    if (friend.id === player.id) throw new AppError('FRIEND_SELF');
    const added = await this.deps.friends.add(player.id, friend.id, (this.deps.now ?? Date.now)());
    if (!added) throw new AppError('ALREADY_FRIENDS');
    const row = (await this.deps.friends.list(player.id)).find((f) => f.id === friend.id);
    if (!row) throw new AppError('INTERNAL', 'friendship was not stored');
    return toFriendDto(row);
  }

  async list(playerId: string): Promise<FriendDto[]> {
    return (await this.deps.friends.list(playerId)).map(toFriendDto);
  }

  areFriends(a: string, b: string): Promise<boolean> {
    return this.deps.friends.areFriends(a, b);
  }
}

function toFriendDto(row: FriendRow): FriendDto {
  return {
    id: row.id,
    firstName: row.first_name,
    username: row.username,
    petCount: row.pet_count,
    since: new Date(row.created_at).toISOString(),
  };
}
