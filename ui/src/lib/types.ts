// The app-facing API's types. Every one is generated from Rust (crates/keepwatch-core/src/api,
// with ts-rs, into src/bindings by scripts/bindings.sh) and re-exported here so that components
// import from one place; only what exists on this side of the IPC alone is written here.

import type { ErrorKind } from "../bindings/ErrorKind";
import type { IpcError as WireIpcError } from "../bindings/IpcError";

export type { About } from "../bindings/About";
export type { AccountSummary } from "../bindings/AccountSummary";
export type { AlertRecord } from "../bindings/AlertRecord";
export type { AlertsPage } from "../bindings/AlertsPage";
export type { AlertState } from "../bindings/AlertState";
export type { CoreErrorKind } from "../bindings/CoreErrorKind";
export type { DemoDefaults } from "../bindings/DemoDefaults";
export type { ExportFormat } from "../bindings/ExportFormat";
export type { ExportProgress } from "../bindings/ExportProgress";
export type { ExportResult } from "../bindings/ExportResult";
export type { FocusRequest } from "../bindings/FocusRequest";
export type { GeoFile } from "../bindings/GeoFile";
export type { GeoProgress } from "../bindings/GeoProgress";
export type { GeoStatus } from "../bindings/GeoStatus";
export type { HistoryFilter } from "../bindings/HistoryFilter";
export type { HistoryPage } from "../bindings/HistoryPage";
export type { HistoryRow } from "../bindings/HistoryRow";
export type { HistoryState } from "../bindings/HistoryState";
export type { Language } from "../bindings/Language";
export type { NewTwoFactor } from "../bindings/NewTwoFactor";
export type { NotificationSettings } from "../bindings/NotificationSettings";
export type { QrCode } from "../bindings/QrCode";
export type { SessionItem } from "../bindings/SessionItem";
export type { SessionsPage } from "../bindings/SessionsPage";
export type { Settings } from "../bindings/Settings";
export type { SignedIn } from "../bindings/SignedIn";
export type { SignInRequest } from "../bindings/SignInRequest";
export type { SyncPhase } from "../bindings/SyncPhase";
export type { SyncStatus } from "../bindings/SyncStatus";

/** Error kinds only the UI produces (a rejection that is not an IpcError is the API's
 * "internal"). */
export type UiErrorKind = "not_connected"; // no Tauri IPC: the page runs outside the app

/** Every kind an error shown in the window can have. */
export type IpcErrorKind = ErrorKind | UiErrorKind;

/** How every failed command rejects, and the errors the UI makes itself. */
export type IpcError = Omit<WireIpcError, "kind"> & { kind: IpcErrorKind };
