/*
 * cli/cmd_rules.c: 'dhr rules'. Not implemented yet: its issue is open.
 */
#include "commands.h"
#include "dhr/common.h"

int dhr_cmd_rules(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	dhr_cli_errorf("'rules' is not implemented yet");
	return DHR_EXIT_FATAL;
}
