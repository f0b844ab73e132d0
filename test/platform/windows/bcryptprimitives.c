/* Wine 8 has no bcryptprimitives.dll, and Bun's Windows runtime imports ProcessPrng from it (the
 * random source Windows 10+ uses). This stand-in, built with mingw-w64 at test time and put in the Wine
 * prefix's system32, answers it from RtlGenRandom (advapi32's SystemFunction036), which Wine has.
 * Test scaffolding only: real Windows has the real DLL. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
  while (length > 0) {
    ULONG n = length > 0x10000000 ? 0x10000000 : (ULONG)length;
    if (!SystemFunction036(data, n)) return FALSE;
    data += n;
    length -= n;
  }
  return TRUE;
}
