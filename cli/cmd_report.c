/*
 * cli/cmd_report.c: 'dhr report'. Not implemented yet: its issue is open.
 */
#include "commands.h"
#include "dhr/common.h"

int dhr_cmd_report(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	dhr_cli_errorf("'report' is not implemented yet");
	return DHR_EXIT_FATAL;
}
