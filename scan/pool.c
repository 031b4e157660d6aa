/*
 * scan/pool.c: the worker pool. Each document is extracted in a child
 * process forked for it, under an address-space limit (setrlimit) and a
 * wall-clock deadline enforced by the parent, so that a crash, a hang or a
 * runaway allocation in Poppler is that one document's error. The parent
 * waits synchronously for SIGCHLD, SIGINT and SIGTERM with sigtimedwait(),
 * which needs no signal handlers that touch shared state.
 */
#include "internal.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

typedef struct slot {
	pid_t pid;
	size_t job;
	double deadline;
	int timed_out;
} slot;

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void on_sigchld(int sig)
{
	(void)sig; /* only here so that SIGCHLD is queued for sigtimedwait() */
}

/* Test-only fault injection: DHR_FAULT_INJECT="crash:NAME", "hang:NAME",
 * "slow:NAME" or "alloc:NAME" makes the worker for a path containing NAME
 * crash, hang, take 0.3 s longer or allocate without end, so the tests can
 * prove that the batch survives each (and interrupt a scan mid-way). */
static void inject_fault(const char *path)
{
	const char *spec = getenv("DHR_FAULT_INJECT");
	if (!spec)
		return;
	const char *colon = strchr(spec, ':');
	if (!colon || !strstr(path, colon + 1))
		return;
	if (strncmp(spec, "crash:", 6) == 0) {
		signal(SIGSEGV, SIG_DFL); /* past any sanitizer's handler: a real crash */
		raise(SIGSEGV);
	}
	if (strncmp(spec, "hang:", 5) == 0)
		for (;;)
			pause();
	if (strncmp(spec, "slow:", 5) == 0)
		usleep(300 * 1000);
	if (strncmp(spec, "alloc:", 6) == 0)
		for (;;) {
			char *p = malloc(1 << 20);
			if (!p)
				_exit(3);
			memset(p, 1, 1 << 20);
		}
}

static void run_child(const dhr_job *job, const dhr_pool_opts *o, const sigset_t *oldmask)
{
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGCHLD, SIG_DFL);
	sigprocmask(SIG_SETMASK, oldmask, NULL);
#if !defined(__SANITIZE_ADDRESS__)
	/* ASan and valgrind reserve huge address ranges of their own */
	if (o->max_memory_mb > 0 && !getenv("DHR_UNDER_VALGRIND")) {
		struct rlimit rl;
		rl.rlim_cur = rl.rlim_max = (rlim_t)o->max_memory_mb * 1024 * 1024;
		setrlimit(RLIMIT_AS, &rl);
	}
#endif
	inject_fault(job->path);
	dhr_error err;
	dhr_error_clear(&err);
	int rc = dhr_cache_build_entry(o->cache_dir, job->path, job->sha256, o->password, &err);
	if (rc == 0)
		_exit(0);
	fprintf(stderr, "dhr: worker: %s\n", err.message);
	_exit(rc == DHR_ENOMEM ? 3 : 2);
}

static void finish(dhr_job *job, int wstatus, const struct rusage *ru, const slot *s, const dhr_pool_opts *o)
{
	if (s->timed_out) {
		job->status = DHR_ETIMEOUT;
		snprintf(job->message, sizeof job->message, "%s: no result within %.0f s (worker stopped)", job->path,
			 o->timeout_s);
	} else if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0) {
		job->status = 0;
	} else if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 3) {
		job->status = DHR_EMEMORY;
		snprintf(job->message, sizeof job->message, "%s: worker ran out of memory (limit %zu MB)", job->path,
			 o->max_memory_mb);
	} else if (WIFEXITED(wstatus)) {
		job->status = DHR_EIO;
		snprintf(job->message, sizeof job->message, "%s: worker could not store its result (exit %d)",
			 job->path, WEXITSTATUS(wstatus));
	} else if (WIFSIGNALED(wstatus)) {
		int sig = WTERMSIG(wstatus);
		/* an allocation failure inside GLib or C++ ends in abort(); near the
		 * limit that is the memory limit, not a bug in the document */
		long limit_kb = (long)o->max_memory_mb * 1024;
		if ((sig == SIGABRT || sig == SIGSEGV || sig == SIGTRAP || sig == SIGBUS) && limit_kb > 0 &&
		    ru->ru_maxrss >= limit_kb / 2) {
			job->status = DHR_EMEMORY;
			snprintf(job->message, sizeof job->message, "%s: worker ran out of memory (limit %zu MB)",
				 job->path, o->max_memory_mb);
		} else if (sig == SIGKILL) {
			/* we did not send it: the kernel's OOM killer did */
			job->status = DHR_EMEMORY;
			snprintf(job->message, sizeof job->message, "%s: worker killed by the system (out of memory?)",
				 job->path);
		} else if (sig == SIGINT || sig == SIGTERM) {
			job->status = DHR_EINTERRUPTED;
			snprintf(job->message, sizeof job->message, "%s: worker stopped by signal %d", job->path, sig);
		} else {
			job->status = DHR_ECRASHED;
			snprintf(job->message, sizeof job->message, "%s: worker crashed (%s)", job->path, strsignal(sig));
		}
	}
}

int dhr_pool_run(dhr_job *jobs, size_t n_jobs, const dhr_pool_opts *o)
{
	int nslots = o->jobs > 0 ? o->jobs : 1;
	slot *slots = calloc((size_t)nslots, sizeof *slots);
	if (!slots)
		return DHR_ENOMEM;
	sigset_t set, oldmask;
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	struct sigaction sa, old_sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_sigchld;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGCHLD, &sa, &old_sa);
	sigprocmask(SIG_BLOCK, &set, &oldmask);
	fflush(NULL); /* nothing buffered may be written twice by a child */

	size_t next = 0;
	int running = 0, interrupted = 0;
	for (;;) {
		if (o->interrupted && *o->interrupted)
			interrupted = 1;
		while (!interrupted && running < nslots && next < n_jobs) {
			int k = 0;
			while (slots[k].pid)
				k++;
			pid_t pid = fork();
			if (pid < 0) {
				jobs[next].status = DHR_ECRASHED;
				snprintf(jobs[next].message, sizeof jobs[next].message, "%s: cannot start a worker: %s",
					 jobs[next].path, strerror(errno));
				if (o->done)
					o->done(&jobs[next], o->payload);
				next++;
				continue;
			}
			if (pid == 0)
				run_child(&jobs[next], o, &oldmask);
			slots[k] = (slot){pid, next, now_s() + (o->timeout_s > 0 ? o->timeout_s : 300), 0};
			running++;
			next++;
		}
		if (running == 0)
			break;
		double wait = 1.0, t = now_s();
		for (int k = 0; k < nslots; k++)
			if (slots[k].pid && !slots[k].timed_out && slots[k].deadline - t < wait)
				wait = slots[k].deadline - t;
		if (wait < 0)
			wait = 0;
		struct timespec ts = {(time_t)wait, (long)((wait - (double)(time_t)wait) * 1e9)};
		int sig = sigtimedwait(&set, NULL, &ts);
		if (sig == SIGINT || sig == SIGTERM) {
			interrupted = 1;
			for (int k = 0; k < nslots; k++)
				if (slots[k].pid)
					kill(slots[k].pid, SIGKILL);
		}
		t = now_s();
		for (int k = 0; k < nslots; k++)
			if (slots[k].pid && !slots[k].timed_out && t >= slots[k].deadline) {
				slots[k].timed_out = 1;
				kill(slots[k].pid, SIGKILL);
			}
		int wstatus;
		struct rusage ru;
		pid_t pid;
		while ((pid = wait4(-1, &wstatus, WNOHANG, &ru)) > 0) {
			for (int k = 0; k < nslots; k++) {
				if (slots[k].pid != pid)
					continue;
				dhr_job *job = &jobs[slots[k].job];
				finish(job, wstatus, &ru, &slots[k], o);
				if (interrupted && job->status != 0) {
					job->status = DHR_EINTERRUPTED;
					snprintf(job->message, sizeof job->message, "%s: interrupted", job->path);
				}
				if (job->status == DHR_EINTERRUPTED)
					interrupted = 1;
				slots[k].pid = 0;
				running--;
				if (o->done)
					o->done(job, o->payload);
			}
		}
	}
	for (size_t i = next; i < n_jobs; i++) {
		jobs[i].status = DHR_EINTERRUPTED;
		snprintf(jobs[i].message, sizeof jobs[i].message, "%s: interrupted", jobs[i].path);
	}
	sigprocmask(SIG_SETMASK, &oldmask, NULL);
	sigaction(SIGCHLD, &old_sa, NULL);
	free(slots);
	return interrupted ? DHR_EINTERRUPTED : 0;
}
