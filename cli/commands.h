/*
 * cli/commands.h: the subcommands of the dhr command line. Each lives in
 * cli/cmd_<name>.c, parses its own options and returns a process exit code
 * (DHR_EXIT_*).
 */
#ifndef DHR_CLI_COMMANDS_H
#define DHR_CLI_COMMANDS_H

int dhr_cmd_scan(int argc, char **argv);
int dhr_cmd_extract(int argc, char **argv);
int dhr_cmd_recs(int argc, char **argv);
int dhr_cmd_classify(int argc, char **argv);
int dhr_cmd_explain(int argc, char **argv);
int dhr_cmd_rules(int argc, char **argv);
int dhr_cmd_eval(int argc, char **argv);
int dhr_cmd_diff(int argc, char **argv);
int dhr_cmd_learn(int argc, char **argv);
int dhr_cmd_report(int argc, char **argv);

/** Print "dhr: " + message to stderr (one line). */
void dhr_cli_errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#include "dhr/rules.h"

/**
 * Compile the rules for a command: the file at `path`, or the built-in rules
 * when `path` is NULL. Diagnostics go to `diag` (NULL: printed to stderr as
 * FILE:LINE:COL with the line and a caret), then a count of errors.
 * @return 0, or a negative status (the message has been printed).
 */
int dhr_cli_load_rules(dhr_rules **out, const char *path, dhr_diag_cb diag, void *payload);

#endif
