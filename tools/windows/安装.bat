@echo off
rem gxsheet offline installer. tools/wheelhouse.py writes it into dist/wheelhouse/ as GBK, CRLF.
rem
rem Why GBK (code page 936) and not UTF-8 with "chcp 65001": cmd.exe decodes a batch file in the
rem console code page, which is 936 on Simplified Chinese Windows, so a GBK file needs no change of
rem console state. chcp 65001 changes the code page of the window for good and has made cmd.exe
rem misread or stop batch files on older Windows. Chinese appears only on echo, rem and title lines,
rem and none of their GBK bytes reads as | ^ & < > in a one-byte code page; every command is ASCII,
rem so on a machine with another code page only the messages garble and the installation still works. Paths come from %~dp0 at run time, are always quoted (spaces, Chinese
rem folder names), never end in a backslash before a quote (\" escapes the quote for Python), and are
rem never expanded inside a ( ) block, where a folder such as "新建文件夹 (2)" would end the block.
setlocal EnableExtensions DisableDelayedExpansion
title gxsheet 安装
set "HERE=%~dp0."
set "ENV=%~dp0gxsheet-env"
set "LAUNCHER=%~dp0gxsheet.bat"
rem Only this folder: no pip configuration file, no index, no extra find-links from the environment.
set "PIP_CONFIG_FILE=nul"
set "PIP_FIND_LINKS="
set "PIP_REQUIRE_VIRTUALENV="
set "PIP_DISABLE_PIP_VERSION_CHECK=1"

if not exist "%~dp0gxsheet-*.whl" goto notunpacked
echo 正在查找 Python（需要 64 位的 Python @PYTHONS_ZH@）……
set "PY="
for %%V in (@PYTHONS_NEWEST_FIRST@) do if not defined PY call :try py -%%V
if not defined PY call :try python
if not defined PY call :try python3
if not defined PY goto nopython
%PY% -c "import sys; print(sys.executable, sys.version.split()[0])"

if not exist "%ENV%\Scripts\python.exe" goto makeenv
"%ENV%\Scripts\python.exe" -c "import sys" >nul 2>&1
if not errorlevel 1 goto install
echo 原有的安装环境已不可用（可能卸载或升级了 Python），将重新建立……
rmdir /s /q "%ENV%"
:makeenv
echo 正在建立安装环境 gxsheet-env ……
%PY% -m venv "%ENV%"
if errorlevel 1 goto venvfail

:install
echo 正在从本文件夹安装 gxsheet（不需要联网）……
"%ENV%\Scripts\python.exe" -m pip install --no-index --find-links "%HERE%" --force-reinstall gxsheet
if errorlevel 1 goto pipfail
"%ENV%\Scripts\python.exe" -m gxsheet.cli version
if errorlevel 1 goto pipfail

rem The launcher is ASCII only and finds everything from its own place (%~dp0), so the folder can be
rem moved together with gxsheet-env. Double-clicked, it opens a window where "gxsheet" works anywhere.
> "%LAUNCHER%" echo @echo off|| goto launcherfail
>>"%LAUNCHER%" echo rem gxsheet launcher written by the installer; runs gxsheet from gxsheet-env beside it.
>>"%LAUNCHER%" echo if "%%~1"=="" goto shell
>>"%LAUNCHER%" echo "%%~dp0gxsheet-env\Scripts\python.exe" -m gxsheet.cli %%*
>>"%LAUNCHER%" echo goto :eof
>>"%LAUNCHER%" echo :shell
>>"%LAUNCHER%" echo set "PATH=%%~dp0.;%%PATH%%"
>>"%LAUNCHER%" echo cmd /k gxsheet --help

echo.
echo 安装完成。命令文件在：
echo   "%LAUNCHER%"
echo 双击 gxsheet.bat 打开命令窗口，在其中输入 gxsheet new、gxsheet check、gxsheet build 等命令。
echo 用法见本文件夹中的“使用说明.txt”。
echo.
pause
exit /b 0

:try
rem The candidate must be 64-bit and one of the versions this folder has wheels for.
%* -c "import sys, struct; sys.exit(0 if '.'.join(map(str, sys.version_info[:2])) in '@PYTHONS@'.split() and struct.calcsize('P') == 8 else 1)" >nul 2>&1
if not errorlevel 1 set "PY=%*"
exit /b 0

:nopython
echo.
echo 【错误】未找到可用的 Python：需要 64 位的 Python @PYTHONS_ZH@。
echo 请从本单位的软件中心安装，或从 python.org 下载“Windows installer (64-bit)”安装，
echo 安装时勾选“Add python.exe to PATH”，然后重新双击“安装.bat”。
echo.
pause
exit /b 1

:notunpacked
echo 【错误】本文件夹中没有 gxsheet 的安装文件（gxsheet-*.whl）。
echo 如果是在压缩包里直接双击的，请先把压缩包全部解压到本机磁盘，再双击解压出来的“安装.bat”。
echo.
pause
exit /b 1

:venvfail
echo.
echo 【错误】无法在本文件夹中建立安装环境 gxsheet-env（可能没有写入权限，或文件夹在只读的位置）。
echo 请把整个文件夹复制到本机磁盘（例如 D:\gxsheet）后，重新双击“安装.bat”。
echo.
pause
exit /b 1

:pipfail
echo.
echo 【错误】安装 gxsheet 失败。请确认本文件夹完整（没有删除其中的 .whl 文件），
echo 且 Python 版本为 @PYTHONS_ZH@（64 位），然后重新双击“安装.bat”；
echo 仍然失败时，删除本文件夹中的 gxsheet-env 文件夹后再试。
echo.
pause
exit /b 1

:launcherfail
echo.
echo 【错误】无法写入 gxsheet.bat（可能没有写入权限）。请把整个文件夹复制到本机磁盘后重试。
echo.
pause
exit /b 1
