// Error messages of the fleet inventory views (issue 20 parts 3-4: src/agent/docker-*.ts,
// src/hosts/fleet-repository-*.ts): part of the one table, ERROR_MESSAGES in error-messages.ts.
import { entry } from './error-entry.js'

export const INVENTORY_ERROR_MESSAGES = {
  inventory: {
    repositoryNotFound: entry('Repository not found', 404)
  }
}
