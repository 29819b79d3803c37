/**
 * The user use cases under their former name, for the web pages until they import UserUseCases
 * (same class, same provider): remove once nothing imports this file.
 */
export { TokenAlreadyShown, UnknownTeams, UserUseCases as UsersService } from './users.use-cases';
export type { IssuedToken } from './users.use-cases';
