// Recognises GitHub remotes (https, ssh and scp-like URLs) so the run can print a compare URL
// for opening the pull request in a browser.
export interface GithubRepository {
  owner: string;
  name: string;
}

const GITHUB_URL = /^(?:https?:\/\/(?:[^@/]+@)?github\.com\/|ssh:\/\/(?:[^@/]+@)?github\.com(?::\d+)?\/|(?:[^@/]+@)?github\.com:)([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+?)(?:\.git)?\/?$/;

export function githubRepositoryOf(remoteUrl: string): GithubRepository | null {
  const match = GITHUB_URL.exec(remoteUrl.trim());
  if (!match?.[1] || !match[2]) return null;
  return { owner: match[1], name: match[2] };
}

/** The page where GitHub offers to open a pull request from `branch` (into `base`, or the default branch). */
export function compareUrl(repository: GithubRepository, branch: string, base: string | null): string {
  const range = base ? `${encodeBranch(base)}...${encodeBranch(branch)}` : encodeBranch(branch);
  return `https://github.com/${repository.owner}/${repository.name}/compare/${range}?expand=1`;
}

function encodeBranch(branch: string): string {
  return branch.split('/').map(encodeURIComponent).join('/');
}
