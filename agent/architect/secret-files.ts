// Files whose content must never reach a prompt: environment files, keys, certificates and
// credential stores. Matched on repository-relative POSIX paths, at any depth.
import picomatch from 'picomatch';

const SECRET_FILE_GLOBS = [
  '**/.env',
  '**/.env.*',
  '**/*.env',
  '**/.envrc',
  '**/*.{pem,key,p12,pfx,jks,keystore,kdbx,asc,gpg}',
  '**/id_{rsa,dsa,ecdsa,ed25519}*',
  '**/.{npmrc,pypirc,netrc,git-credentials,htpasswd,pgpass}',
  '**/.aws/**',
  '**/.ssh/**',
  '**/.docker/config.json',
  '**/{credentials,secrets}{,.*}',
  '**/*{-,_}{credentials,secrets}{,.*}',
  '**/service-account*.json',
];

const isSecretPath = picomatch(SECRET_FILE_GLOBS, { dot: true, nocase: true });

export function isSecretFile(relativePath: string): boolean {
  return isSecretPath(relativePath);
}
