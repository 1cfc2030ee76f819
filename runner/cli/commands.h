/* commands: the subcommands of hbmbench. Each parses its own options,
 * prints its own errors, and returns the process exit code (hb_error.h). */
#ifndef HB_COMMANDS_H
#define HB_COMMANDS_H

int hb_cmd_list(int argc, char **argv);
int hb_cmd_run(int argc, char **argv);
int hb_cmd_compare(int argc, char **argv);
int hb_cmd_check(int argc, char **argv);

#endif
