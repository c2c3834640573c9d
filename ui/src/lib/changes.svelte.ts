/**
 * A counter that every successful save, delete or restore bumps, so lists and
 * profiles that show the changed data know to load again.
 */
class Changes {
  version = $state(0);

  bump(): void {
    this.version++;
  }
}

export const changes = new Changes();
