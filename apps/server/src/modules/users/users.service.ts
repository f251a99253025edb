import type {
  TCreateGroup,
  TCreateUser,
  TGroup,
  TUpdateGroup,
  TUpdateUser,
  TUser,
} from "@switchboard/contracts";
import type { TDb } from "../../db/connection.ts";
import { isAdmin, requireAdmin, type TActor } from "../../lib/actor.ts";
import { AppError, conflict, forbidden, notFound } from "../../lib/app-error.ts";
import type { TClock } from "../../lib/clock.ts";
import { newId } from "../../lib/ids.ts";
import { decodeNameCursor, encodeNameCursor, type TPageQuery } from "../../lib/pagination.ts";
import { hashPassword } from "../auth/password.ts";
import { toGroupDto, toUserDto } from "./users.dto.ts";
import * as repo from "./users.repository.ts";

export type TUsersDeps = { db: TDb; clock: TClock };

export function createUsersService({ db, clock }: TUsersDeps) {
  // Takes the transaction: with PGlite there is one connection, and a query on `db` inside a
  // transaction would wait for that transaction forever.
  async function assertAllExist(
    trx: TDb,
    table: "brands" | "groups" | "users",
    workspaceId: string,
    ids: string[],
  ) {
    const unique = [...new Set(ids)];
    if ((await repo.countExisting(trx, table, workspaceId, unique)) !== unique.length) {
      throw notFound(table === "brands" ? "brand" : table === "groups" ? "group" : "user");
    }
    return unique;
  }

  async function getUser(actor: TActor, userId: string): Promise<TUser> {
    const row = await repo.findUser(db, actor.workspaceId, userId);
    if (!row) throw notFound("user");
    return toUserDto(row);
  }

  return {
    getUser,

    async listUsers(actor: TActor, page: TPageQuery) {
      const after = decodeNameCursor(page.cursor);
      const rows = await repo.listUsers(db, actor.workspaceId, {
        ...(after ? { after } : {}),
        limit: page.limit,
      });
      const items = rows.slice(0, page.limit);
      const last = items.at(-1);
      return {
        items: items.map(toUserDto),
        nextCursor: rows.length > page.limit && last ? encodeNameCursor(last.name, last.id) : null,
      };
    },

    async createUser(actor: TActor, input: TCreateUser): Promise<TUser> {
      requireAdmin(actor);
      const id = newId();
      const now = clock.now();
      const passwordHash = input.password ? await hashPassword(input.password) : null;
      await db.transaction().execute(async (trx) => {
        const brandIds = await assertAllExist(trx, "brands", actor.workspaceId, input.brandIds);
        const groupIds = await assertAllExist(trx, "groups", actor.workspaceId, input.groupIds);
        const taken = await trx
          .selectFrom("login_identities")
          .select("email")
          .where("email", "=", input.email)
          .executeTakeFirst();
        if (taken) throw conflict("email_taken", "A user with this email already exists");
        await repo.insertUser(trx, {
          workspace_id: actor.workspaceId,
          id,
          email: input.email,
          name: input.name,
          role: input.role,
          password_hash: passwordHash,
          locale: input.locale,
          time_zone: input.timeZone,
          created_at: now,
          updated_at: now,
        });
        await repo.replaceUserBrands(trx, actor.workspaceId, id, brandIds);
        await repo.replaceUserGroups(trx, actor.workspaceId, id, groupIds);
      });
      return getUser(actor, id);
    },

    async updateUser(actor: TActor, userId: string, patch: TUpdateUser): Promise<TUser> {
      const self = actor.userId === userId;
      const personalOnly = Object.keys(patch).every(
        (k) => k === "name" || k === "locale" || k === "timeZone",
      );
      if (!isAdmin(actor) && !(self && personalOnly))
        throw forbidden("Only owners and admins can change other users");
      const current = await repo.findUser(db, actor.workspaceId, userId);
      if (!current) throw notFound("user");
      // Owners are changed only by owners (or by themselves, in their personal settings).
      if ((patch.role === "owner" || current.role === "owner") && !self && actor.role !== "owner") {
        throw forbidden("Only an owner can change an owner or grant the owner role");
      }
      if (self && patch.active === false)
        throw new AppError("cannot_deactivate_self", "You cannot deactivate yourself", 400);
      await db.transaction().execute(async (trx) => {
        if (patch.brandIds) {
          await repo.replaceUserBrands(
            trx,
            actor.workspaceId,
            userId,
            await assertAllExist(trx, "brands", actor.workspaceId, patch.brandIds),
          );
        }
        if (patch.groupIds) {
          await repo.replaceUserGroups(
            trx,
            actor.workspaceId,
            userId,
            await assertAllExist(trx, "groups", actor.workspaceId, patch.groupIds),
          );
        }
        await repo.updateUser(trx, actor.workspaceId, userId, {
          ...(patch.name !== undefined ? { name: patch.name } : {}),
          ...(patch.role !== undefined ? { role: patch.role } : {}),
          ...(patch.locale !== undefined ? { locale: patch.locale } : {}),
          ...(patch.timeZone !== undefined ? { time_zone: patch.timeZone } : {}),
          ...(patch.active !== undefined ? { active: patch.active } : {}),
          updated_at: clock.now(),
        });
        if (patch.active === false)
          await trx
            .deleteFrom("sessions")
            .where("workspace_id", "=", actor.workspaceId)
            .where("user_id", "=", userId)
            .execute();
      });
      return getUser(actor, userId);
    },

    async listGroups(actor: TActor): Promise<TGroup[]> {
      return (await repo.listGroups(db, actor.workspaceId)).map(toGroupDto);
    },

    async createGroup(actor: TActor, input: TCreateGroup): Promise<TGroup> {
      requireAdmin(actor);
      const id = newId();
      await db.transaction().execute(async (trx) => {
        const members = await assertAllExist(trx, "users", actor.workspaceId, input.memberIds);
        const exists = await trx
          .selectFrom("groups")
          .select("id")
          .where("workspace_id", "=", actor.workspaceId)
          .where("name", "=", input.name)
          .executeTakeFirst();
        if (exists) throw conflict("group_name_taken", "A group with this name already exists");
        await repo.insertGroup(
          trx,
          { workspace_id: actor.workspaceId, id, name: input.name, description: input.description },
          members,
        );
      });
      const row = await repo.findGroup(db, actor.workspaceId, id);
      if (!row) throw notFound("group");
      return toGroupDto(row);
    },

    async updateGroup(actor: TActor, groupId: string, patch: TUpdateGroup): Promise<TGroup> {
      if (!(await repo.findGroup(db, actor.workspaceId, groupId))) throw notFound("group");
      requireAdmin(actor);
      await db.transaction().execute(async (trx) => {
        if (patch.name !== undefined) {
          const clash = await trx
            .selectFrom("groups")
            .select("id")
            .where("workspace_id", "=", actor.workspaceId)
            .where("name", "=", patch.name)
            .where("id", "!=", groupId)
            .executeTakeFirst();
          if (clash) throw conflict("group_name_taken", "A group with this name already exists");
        }
        if (patch.memberIds) {
          const members = await assertAllExist(trx, "users", actor.workspaceId, patch.memberIds);
          await repo.replaceGroupMembers(trx, actor.workspaceId, groupId, members);
        }
        await repo.updateGroup(trx, actor.workspaceId, groupId, {
          ...(patch.name !== undefined ? { name: patch.name } : {}),
          ...(patch.description !== undefined ? { description: patch.description } : {}),
          updated_at: clock.now(),
        });
      });
      const row = await repo.findGroup(db, actor.workspaceId, groupId);
      if (!row) throw notFound("group");
      return toGroupDto(row);
    },
  };
}
export type TUsersService = ReturnType<typeof createUsersService>;
