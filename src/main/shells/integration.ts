import { readFileSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { PRIVATE_FILE_MODE, makePrivateDir } from '../core/private-files'

/**
 * Shell integration: small startup scripts that load the user's own startup files, then make the
 * shell print marks (marks.ts) around prompts and commands and report its folder. The nonce reaches
 * the shell through the environment and the script removes it from there at once, so programs the
 * shell starts do not inherit it.
 *
 * - bash: `bash --rcfile <paddock.bashrc> -i` (PROMPT_COMMAND for D and P, PS0 for C, PS1 for A/B);
 * - zsh: ZDOTDIR pointing at Paddock's folder, whose .zshenv/.zshrc source the user's and add
 *   precmd/preexec hooks;
 * - POSIX sh (dash, ash, ksh): ENV=<paddock.shrc>; PS1 carries D (with `$?`), P, A and B, and the
 *   agent's commands are typed after a function that prints C (there is no preexec);
 * - PowerShell (Windows, ConPTY): a prompt function (D, P, A, B) and PSConsoleHostReadLine (C).
 * Other shells (fish, tcsh, nu…) run without integration: fine for a user's terminal, not for the
 * agent's (the agent needs command boundaries), which falls back to bash, then sh.
 */

export type ShellFamily = 'bash' | 'zsh' | 'sh' | 'pwsh' | 'none'

/** Environment variables the scripts read (and unset) at startup. */
export const ENV_NONCE = 'PADDOCK_SHELL_NONCE'
export const ENV_AGENT = 'PADDOCK_SHELL_AGENT'
export const ENV_LOGIN = 'PADDOCK_SHELL_LOGIN'
export const ENV_USER_ZDOTDIR = 'PADDOCK_USER_ZDOTDIR'
export const ENV_USER_ENV = 'PADDOCK_USER_ENV'

export function shellFamily(shellPath: string): ShellFamily {
  const name = basename(shellPath.replace(/\\/g, '/'))
    .toLowerCase()
    .replace(/\.exe$/, '')
  if (name === 'bash') return 'bash'
  if (name === 'zsh') return 'zsh'
  if (['sh', 'dash', 'ash', 'ksh', 'mksh', 'ksh93', 'posh', 'busybox'].includes(name)) return 'sh'
  if (name === 'pwsh' || name === 'powershell') return 'pwsh'
  return 'none'
}

/** What bash prints when it sets the user's unfinished line aside for the agent. */
export const SET_ASIDE_NOTICE =
  '— Your unfinished line was set aside for the agent: press ↑ to get it back —'
/**
 * The keys that make the agent's bash set its line aside (`bind -x`): a function-key sequence no
 * keyboard sends, as bound (readline syntax) and as sent.
 */
const SET_ASIDE_BIND = '\\e[6973~'
export const SET_ASIDE_KEYS = '\x1b[6973~'
/** The same for a line that continues a command (PS2): that command is cancelled next. */
const SET_ASIDE_MORE_BIND = '\\e[6974~'
export const SET_ASIDE_MORE_KEYS = '\x1b[6974~'
/** What the shell prints when it cancels the user's unfinished multi-line command for the agent. */
export const CANCEL_NOTICE =
  '— Your unfinished command was cancelled for the agent: press ↑ to get its lines back —'

const BASH_RC = `# Paddock shell integration (bash): read instead of ~/.bashrc by \`bash --rcfile <this> -i\`.
__paddock_nonce="\${${ENV_NONCE}-}"
__paddock_agent="\${${ENV_AGENT}-}"
__paddock_login="\${${ENV_LOGIN}-}"
unset ${ENV_NONCE} ${ENV_AGENT} ${ENV_LOGIN}

if [ -n "$__paddock_login" ]; then
  # --rcfile cannot be combined with a login shell: read what a login shell reads.
  if [ -r /etc/profile ]; then . /etc/profile; fi
  if [ -r ~/.bash_profile ]; then . ~/.bash_profile
  elif [ -r ~/.bash_login ]; then . ~/.bash_login
  elif [ -r ~/.profile ]; then . ~/.profile
  fi
else
  if [ -r ~/.bashrc ]; then . ~/.bashrc; fi
fi

if [ -n "$__paddock_agent" ]; then
  # The agent cannot page through a pager; programs print everything instead.
  export PAGER=cat GIT_PAGER=cat MANPAGER=cat SYSTEMD_PAGER=
fi

__paddock_A=$'\\e]6973;'"$__paddock_nonce"$';A\\a'
__paddock_B=$'\\e]6973;'"$__paddock_nonce"$';B\\a'
__paddock_C=$'\\e]6973;'"$__paddock_nonce"$';C\\a'
__paddock_M=$'\\e]6973;'"$__paddock_nonce"$';M\\a'

__paddock_precmd() {
  local __paddock_ec=$?
  printf '\\033]6973;%s;D;%s\\007\\033]6973;%s;P;%s\\007' "$__paddock_nonce" "$__paddock_ec" "$__paddock_nonce" "$PWD"
  return $__paddock_ec
}

# Runs last, so a prompt that the user's PROMPT_COMMAND rebuilds still carries the marks.
__paddock_wrap() {
  local __paddock_ec=$?
  case "$PS1" in *"$__paddock_A"*) ;; *) PS1="\\[$__paddock_A\\]$PS1\\[$__paddock_B\\]" ;; esac
  case "\${PS0-}" in *"$__paddock_C"*) ;; *) PS0="$__paddock_C\${PS0-}" ;; esac
  case "\${PS2-}" in *"$__paddock_M"*) ;; *) PS2="\\[$__paddock_M\\]\${PS2-}" ;; esac
  return $__paddock_ec
}

PROMPT_COMMAND=$'__paddock_precmd\\n'"\${PROMPT_COMMAND-}"$'\\n__paddock_wrap'
bind 'set enable-bracketed-paste on' 2>/dev/null

if [ -n "$__paddock_agent" ]; then
  # Before the agent types, Paddock sends SET_ASIDE_KEYS: the user's unfinished line goes to the
  # history (not run), a line in the terminal says so, and the R mark tells Paddock it is done.
  # With "more", the line continues a command (PS2) that Paddock cancels next (Ctrl-C).
  __paddock_set_aside() {
    local __paddock_n=\${#READLINE_LINE}
    if [ "$__paddock_n" -gt 0 ]; then history -s -- "$READLINE_LINE"; fi
    if [ "\${1-}" = more ]; then
      printf '\\033[2m%s\\033[0m\\n' '${CANCEL_NOTICE}'
    elif [ "$__paddock_n" -gt 0 ]; then
      printf '\\033[2m%s\\033[0m\\n' '${SET_ASIDE_NOTICE}'
    fi
    READLINE_LINE=
    READLINE_POINT=0
    printf '\\033]6973;%s;R;%s\\007' "$__paddock_nonce" "$__paddock_n"
  }
  for __paddock_map in emacs vi-insert vi-command; do
    bind -m "$__paddock_map" -x '"${SET_ASIDE_BIND}": __paddock_set_aside' 2>/dev/null
    bind -m "$__paddock_map" -x '"${SET_ASIDE_MORE_BIND}": __paddock_set_aside more' 2>/dev/null
  done
  unset __paddock_map
fi
`

const ZSH_ENV = `# Paddock shell integration (zsh): the user's .zshenv, from their own ZDOTDIR.
__paddock_zdotdir="$ZDOTDIR"
ZDOTDIR="\${${ENV_USER_ZDOTDIR}:-$HOME}"
if [[ -r "$ZDOTDIR/.zshenv" ]]; then . "$ZDOTDIR/.zshenv"; fi
${ENV_USER_ZDOTDIR}="$ZDOTDIR"
ZDOTDIR="$__paddock_zdotdir"
unset __paddock_zdotdir
`

const ZSH_RC = `# Paddock shell integration (zsh): the user's .zshrc, then marks from precmd/preexec hooks.
__paddock_nonce="\${${ENV_NONCE}-}"
__paddock_agent="\${${ENV_AGENT}-}"
ZDOTDIR="\${${ENV_USER_ZDOTDIR}:-$HOME}"
unset ${ENV_NONCE} ${ENV_AGENT} ${ENV_USER_ZDOTDIR} ${ENV_LOGIN}
if [[ -r "$ZDOTDIR/.zshrc" ]]; then . "$ZDOTDIR/.zshrc"; fi
if [[ "$ZDOTDIR" == "$HOME" ]]; then unset ZDOTDIR; fi

if [[ -n "$__paddock_agent" ]]; then
  export PAGER=cat GIT_PAGER=cat MANPAGER=cat SYSTEMD_PAGER=
fi

__paddock_A=$'\\e]6973;'"$__paddock_nonce"$';A\\a'
__paddock_B=$'\\e]6973;'"$__paddock_nonce"$';B\\a'
__paddock_C=$'\\e]6973;'"$__paddock_nonce"$';C\\a'
__paddock_M=$'\\e]6973;'"$__paddock_nonce"$';M\\a'

__paddock_precmd() {
  local __paddock_ec=$?
  print -rn -- $'\\e]6973;'"$__paddock_nonce;D;$__paddock_ec"$'\\a\\e]6973;'"$__paddock_nonce;P;$PWD"$'\\a'
  return $__paddock_ec
}
__paddock_wrap() {
  local __paddock_ec=$?
  if [[ "$PS1" != *"$__paddock_A"* ]]; then PS1="%{$__paddock_A%}$PS1%{$__paddock_B%}"; fi
  if [[ "$PS2" != *"$__paddock_M"* ]]; then PS2="%{$__paddock_M%}$PS2"; fi
  return $__paddock_ec
}
__paddock_preexec() { print -rn -- "$__paddock_C" }

if [[ -n "$__paddock_agent" ]]; then
  # As in bash: SET_ASIDE_KEYS put the unfinished line into the history, say so, send the R mark.
  __paddock_set_aside() {
    local __paddock_n=\${#BUFFER}
    if (( __paddock_n > 0 )); then print -s -- "$BUFFER"; fi
    if [[ "\${1-}" == more ]]; then
      zle -I
      print -r -- $'\\e[2m'"${CANCEL_NOTICE}"$'\\e[0m'
    elif (( __paddock_n > 0 )); then
      zle -I
      print -r -- $'\\e[2m'"${SET_ASIDE_NOTICE}"$'\\e[0m'
    fi
    BUFFER=
    CURSOR=0
    print -rn -- $'\\e]6973;'"$__paddock_nonce;R;$__paddock_n"$'\\a'
  }
  __paddock_set_aside_more() { __paddock_set_aside more }
  zle -N __paddock_set_aside
  zle -N __paddock_set_aside_more
  for __paddock_map in emacs viins vicmd; do
    bindkey -M $__paddock_map '${SET_ASIDE_BIND}' __paddock_set_aside
    bindkey -M $__paddock_map '${SET_ASIDE_MORE_BIND}' __paddock_set_aside_more
  done
  unset __paddock_map
fi

precmd_functions=(__paddock_precmd $precmd_functions __paddock_wrap)
preexec_functions=(__paddock_preexec $preexec_functions)
`

const SH_RC = `# Paddock shell integration (POSIX sh): read through ENV by an interactive sh.
__paddock_nonce="\${${ENV_NONCE}-}"
__paddock_agent="\${${ENV_AGENT}-}"
__paddock_user_env="\${${ENV_USER_ENV}-}"
unset ${ENV_NONCE} ${ENV_AGENT} ${ENV_USER_ENV} ${ENV_LOGIN}
if [ -n "$__paddock_user_env" ]; then ENV="$__paddock_user_env"; else unset ENV; fi
if [ -n "$__paddock_user_env" ] && [ -r "$__paddock_user_env" ]; then . "$__paddock_user_env"; fi

if [ -n "$__paddock_agent" ]; then
  PAGER=cat GIT_PAGER=cat MANPAGER=cat
  export PAGER GIT_PAGER MANPAGER
fi

__paddock_e=$(printf '\\033')
__paddock_b=$(printf '\\007')
__paddock_m="\${__paddock_e}]6973;\${__paddock_nonce}"
PS1="\${__paddock_m};D;\\$?\${__paddock_b}\${__paddock_m};P;\\$PWD\${__paddock_b}\${__paddock_m};A\${__paddock_b}\${PS1:-\\$ }\${__paddock_m};B\${__paddock_b}"
# No preexec in sh: the agent's commands are typed after this.
__paddock_c() { printf '\\033]6973;%s;C\\007' "$__paddock_nonce"; }
`

const PWSH_RC = `# Paddock shell integration (PowerShell): marks from the prompt and from PSConsoleHostReadLine.
$Global:__PaddockNonce = $env:${ENV_NONCE}
$Global:__PaddockAgent = $env:${ENV_AGENT}
Remove-Item Env:\\${ENV_NONCE} -ErrorAction SilentlyContinue
Remove-Item Env:\\${ENV_AGENT} -ErrorAction SilentlyContinue
if ($Global:__PaddockAgent) { $env:GIT_PAGER = 'cat'; $env:PAGER = 'cat' }

function Global:__PaddockMark([string]$Body) {
  return "$([char]0x1b)]6973;$($Global:__PaddockNonce);$Body$([char]0x07)"
}

$Global:__PaddockOriginalPrompt = $function:Prompt
function Global:Prompt() {
  $ok = $global:?
  $code = $global:LASTEXITCODE
  $ec = if ($ok) { 0 } elseif ($code -is [int] -and $code -ne 0) { $code } else { 1 }
  $where = $executionContext.SessionState.Path.CurrentLocation.ProviderPath
  $out = (__PaddockMark "D;$ec") + (__PaddockMark "P;$where") + (__PaddockMark 'A')
  $out += & $Global:__PaddockOriginalPrompt
  $out += (__PaddockMark 'B')
  $global:LASTEXITCODE = $code
  return $out
}

if (Get-Command PSConsoleHostReadLine -ErrorAction SilentlyContinue) {
  $Global:__PaddockOriginalReadLine = $function:PSConsoleHostReadLine
  function Global:PSConsoleHostReadLine {
    $line = & $Global:__PaddockOriginalReadLine
    [Console]::Write((__PaddockMark 'C'))
    return $line
  }
}
`

/** The scripts, by the file name they are written under (exported for tests). */
export const INTEGRATION_FILES = {
  'paddock.bashrc': BASH_RC,
  'zsh/.zshenv': ZSH_ENV,
  'zsh/.zshrc': ZSH_RC,
  'paddock.shrc': SH_RC,
  'paddock.ps1': PWSH_RC,
} as const

/** Write the scripts into `dir`, owner-only (unchanged files are left alone). */
export function installIntegration(dir: string): void {
  for (const [name, text] of Object.entries(INTEGRATION_FILES)) {
    const path = join(dir, name)
    makePrivateDir(join(path, '..'))
    let current: string | null
    try {
      current = readFileSync(path, 'utf8')
    } catch {
      current = null
    }
    if (current !== text) writeFileSync(path, text, { mode: PRIVATE_FILE_MODE })
  }
}

export interface Launch {
  file: string
  args: string[]
  /** Added to the (already sanitized) environment. */
  env: Record<string, string>
}

/**
 * How to start `shell` with integration, its scripts installed in `dir`. `baseEnv` is the
 * environment the shell would get otherwise (for the user's own ZDOTDIR / ENV).
 */
export function launchFor(
  shell: string,
  family: ShellFamily,
  dir: string,
  opts: { nonce: string; agent: boolean; login: boolean; baseEnv: Record<string, string> },
): Launch {
  const env: Record<string, string> = { [ENV_NONCE]: opts.nonce }
  if (opts.agent) env[ENV_AGENT] = '1'
  switch (family) {
    case 'bash':
      if (opts.login) env[ENV_LOGIN] = '1'
      return { file: shell, args: ['--rcfile', join(dir, 'paddock.bashrc'), '-i'], env }
    case 'zsh':
      env[ENV_USER_ZDOTDIR] = opts.baseEnv.ZDOTDIR ?? opts.baseEnv.HOME ?? ''
      env.ZDOTDIR = join(dir, 'zsh')
      return { file: shell, args: ['-i'], env }
    case 'sh':
      if (opts.baseEnv.ENV) env[ENV_USER_ENV] = opts.baseEnv.ENV
      env.ENV = join(dir, 'paddock.shrc')
      return { file: shell, args: ['-i'], env }
    case 'pwsh':
      return {
        file: shell,
        args: [
          '-NoLogo',
          '-NoExit',
          '-ExecutionPolicy',
          'Bypass',
          '-File',
          join(dir, 'paddock.ps1'),
        ],
        env,
      }
    case 'none':
      return { file: shell, args: [], env: {} }
  }
}

/**
 * What to type into the shell to run the agent's `command` (the Enter included). Multi-line
 * commands are pasted as one (bracketed paste) where the line editor supports it, so the shell
 * runs them as one command line, as a script would.
 */
export function commandKeystrokes(family: ShellFamily, command: string): string {
  const text = command.replace(/\r\n?/g, '\n').replace(/\n+$/, '')
  const multiline = text.includes('\n')
  switch (family) {
    case 'bash':
    case 'zsh':
      return multiline ? `\x1b[200~${text}\x1b[201~\r` : `${text}\r`
    case 'sh':
      // sh has no preexec: the function prints the command-start mark; braces keep a multi-line
      // command one command line (one prompt, one exit code).
      return multiline ? `__paddock_c; {\n${text}\n}\r` : `__paddock_c; ${text}\r`
    case 'pwsh':
      return `${text.replace(/\n/g, '\r')}\r`
    case 'none':
      return `${text}\r`
  }
}
