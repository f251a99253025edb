export {
  createWorkspacesService,
  DEFAULT_CATEGORIES,
  type TWorkspacesService,
} from "./workspaces.service.ts";
