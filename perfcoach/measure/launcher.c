/* perfcoach's native launcher: forks the measured command and reports the kernel's account
 * of it. Written in C because Linux charges the pages of the process that forked a command,
 * up to its exec, to the command's peak RSS: forked from this small process, a command's
 * peak is its own (about 1 MiB for /bin/true), not a Python launcher's 6-7 MiB.
 *
 * usage: launcher PARENT_PID PATH ARGV0 [ARGS...]
 * Prints "wall user system maxrss status" on stdout: wall time from the command's exec (a
 * close-on-exec pipe closes) to its exit; CPU and peak RSS from wait4. An empty PATH makes
 * the child exit where it would exec: the launcher's own floor. On SIGTERM (and, on Linux,
 * when perfcoach dies) it kills its whole process group. Same protocol as the Python
 * launcher in commands.py, which is used where no C compiler is found. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

static void kill_group(int signum) {
    (void)signum;
    kill(0, SIGKILL);
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: launcher PARENT_PID PATH ARGV0 [ARGS...]\n");
        return 2;
    }
    pid_t parent = (pid_t)atol(argv[1]);
    const char *path = argv[2];
    signal(SIGTERM, kill_group);
#ifdef __linux__
    prctl(PR_SET_PDEATHSIG, SIGTERM, 0, 0, 0);
    if (getppid() != parent) return 143;
#endif
    int null = open("/dev/null", O_RDWR);
    int marker[2];
    if (null < 0 || pipe(marker) != 0 || fcntl(marker[1], F_SETFD, FD_CLOEXEC) != 0) {
        perror("launcher");
        return 2;
    }
    pid_t pid = fork();
    if (pid < 0) {
        perror("launcher: fork");
        return 2;
    }
    if (pid == 0) {
        signal(SIGTERM, SIG_DFL);
        close(marker[0]);
        dup2(null, 0);
        dup2(null, 1);
        if (path[0] == '\0') _exit(0);
        execv(path, argv + 3);
        fprintf(stderr, "cannot run '%s': %s\n", argv[3], strerror(errno));
        _exit(127);
    }
    close(marker[1]);
    char byte;
    while (read(marker[0], &byte, 1) < 0 && errno == EINTR) {
    }
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    int status = 0;
    struct rusage usage;
    while (wait4(pid, &status, 0, &usage) < 0) {
        if (errno != EINTR) {
            perror("launcher: wait4");
            return 2;
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &end);
    double wall = (double)(end.tv_sec - start.tv_sec) + (end.tv_nsec - start.tv_nsec) / 1e9;
    double user = (double)usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6;
    double sys = (double)usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
    printf("%.9f %.6f %.6f %ld %d\n", wall, user, sys, (long)usage.ru_maxrss, status);
    return 0;
}
