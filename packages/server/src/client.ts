/** The app-side provider lives in the core package as `usersig/client`; re-exported here for existing imports. */
export * from 'usersig/client'
