/* hold PATH MS [PATTERN]: open PATH the way a reader that does not expect it to be replaced does (share
 * read and write, not delete), say "held", keep it open MS milliseconds, then close it and say
 * "released". Windows (and Wine's server) refuse to rename over a file open like this.
 * With PATTERN (e.g. C:\dir\.config.*.tmp) it keeps the file open until a file matching PATTERN exists
 * — a writer has its replacement ready and is trying to rename it — and then MS milliseconds more, and
 * says "saw a replacement waiting" before releasing, so a test knows the rename was refused at least
 * once. It gives up waiting after 60 s. */
#include <fcntl.h>
#include <io.h>
#include <stdio.h>
#include <stdlib.h>
#include <windows.h>

static int exists(const wchar_t *pattern) {
  WIN32_FIND_DATAW found;
  HANDLE f = FindFirstFileW(pattern, &found);
  if (f == INVALID_HANDLE_VALUE) return 0;
  FindClose(f);
  return 1;
}

int wmain(int argc, wchar_t **argv) {
  if (argc != 3 && argc != 4) {
    fprintf(stderr, "usage: hold PATH MS [PATTERN]\n");
    return 2;
  }
  _setmode(_fileno(stdout), _O_BINARY); /* "\n", not "\r\n": the test compares lines */
  HANDLE h = CreateFileW(argv[1], GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
  if (h == INVALID_HANDLE_VALUE) {
    fprintf(stderr, "hold: cannot open (error %lu)\n", GetLastError());
    return 1;
  }
  printf("held\n");
  fflush(stdout);
  if (argc == 4) {
    int waited = 0;
    while (!exists(argv[3]) && waited < 60000) {
      Sleep(5);
      waited += 5;
    }
    if (waited < 60000) printf("saw a replacement waiting\n");
    fflush(stdout);
  }
  Sleep((DWORD)_wtoi(argv[2]));
  CloseHandle(h);
  printf("released\n");
  fflush(stdout);
  return 0;
}
