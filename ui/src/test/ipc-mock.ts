// Test helper: answers Tauri IPC calls from a table, and records them. The Tauri runtime and
// the core cannot run inside jsdom, so this stands in for the shell; what it checks is the
// command names and argument shapes the real shell must accept (ui/IPC.md).

import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { cleanup } from "@testing-library/svelte";
import { afterEach } from "vitest";

export type Call = { cmd: string; args: Record<string, unknown> };

export function answerIpc(table: Record<string, (args: Record<string, unknown>) => unknown>): Call[] {
  const calls: Call[] = [];
  mockIPC(
    (cmd, payload) => {
      const args = (payload ?? {}) as Record<string, unknown>;
      calls.push({ cmd, args });
      const answer = table[cmd];
      if (!answer) throw { kind: "internal", message: `no answer for ${cmd}` };
      return answer(args);
    },
    // Events (listen/emit/unlisten) are handled by the mock, so tests can emit live updates.
    { shouldMockEvents: true },
  );
  return calls;
}

// Unmount first: components unsubscribe from events on the way out, which needs the mock.
afterEach(() => {
  cleanup();
  clearMocks();
});
