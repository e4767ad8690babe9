// What to tell a marketer to do next, by error code.

import type { ErrorCode } from "../bindings/ErrorCode";

export function nextStep(code: ErrorCode): string | null {
  switch (code) {
    case "workspace_not_found":
      return "The file may have been moved or deleted. Open it from its new place, or pick another workspace.";
    case "not_a_workspace":
      return "Choose a .rebound file that Rebound created.";
    case "workspace_too_new":
      return "Install the latest Rebound to open this workspace.";
    case "already_exists":
      return "Pick another name, or open the existing file instead.";
    case "workspace_not_empty":
      return "Create a new workspace for the demo data.";
    case "no_workspace":
      return "Open or create a workspace first.";
    case "io":
      return "Check that the folder exists and that you can write to it.";
    case "database":
      return "The workspace file may be damaged or in use by another program.";
    case "unrecognised_format":
      return "Choose the format in the list above, or export the file again from the tool it came from.";
    case "wrong_format":
      return "Choose another format in the list, or keep the one Rebound detected.";
    case "needs_mapping":
      return "Map the file's columns to event fields, then import again.";
    case "unreadable_file":
      return "Check that the file is not open in another program and that it is a complete download.";
    case "bad_header":
    case "bad_row":
      return "Check the file's columns and the line named above, then analyse it again.";
    case "segment_in_use":
      return "Remove it from the segments or campaigns that use it first.";
    case "segment_cycle":
      return "Change one of the segments so they no longer include each other.";
    case "invalid_flow_file":
    case "invalid_segment_file":
      return "Choose a file Rebound exported, or fix the part the message names.";
    case "smtp":
      return "Check the server, port, security and sign-in in Rules & e-mail.";
    case "not_found":
    case "segment_not_found":
    case "template_not_found":
    case "flow_not_found":
    case "person_not_found":
      return "It may have been deleted: refresh the list and pick it again.";
    case "cancelled":
    case "invalid_input":
    case "internal":
    case "invalid_plan":
    case "invalid_rule":
    case "invalid_range":
    case "invalid_template":
    case "unknown_ad_format":
    case "invalid_flow":
    case "invalid_rules":
      // The message says what to change, where the change is made.
      return null;
  }
}
