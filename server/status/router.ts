import { getRedis } from "@/server/lib/redis";
import { router } from "@/server/trpc/init";
import { permission } from "@/server/trpc/procedures";
import { systemStatus } from "./status";

export const statusRouter = router({
  get: permission("status:read").query(({ ctx }) => systemStatus(ctx.db, getRedis())),
});
